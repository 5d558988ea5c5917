<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../about.py" line="83"/>
        <source>About Ablage Desktop</source>
        <translation>Über Ablage Desktop</translation>
    </message>
    <message>
        <location filename="../about.py" line="95"/>
        <source>Ablage Desktop {0}: OCR for the office archive.</source>
        <translation>Ablage Desktop {0}: Texterkennung für das Büroarchiv.</translation>
    </message>
    <message>
        <location filename="../about.py" line="97"/>
        <source>Ablage Desktop contains these components; each is used under its own licence. Model weights that you download yourself keep the licence of their authors.</source>
        <translation>Ablage Desktop enthält diese Komponenten; jede wird unter ihrer eigenen Lizenz verwendet. Modellgewichte, die Sie selbst herunterladen, behalten die Lizenz ihrer Urheber.</translation>
    </message>
    <message>
        <location filename="../about.py" line="100"/>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <location filename="../about.py" line="101"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
</context>
<context>
    <name>ArchivePanel</name>
    <message>
        <location filename="../archive_panel.py" line="40"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="41"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="42"/>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="51"/>
        <source>Search the archive</source>
        <translation>Im Archiv suchen</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="52"/>
        <source>Search the archive (Ctrl+F)</source>
        <translation>Im Archiv suchen (Strg+F)</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="57"/>
        <source>Search needs the archive, which is not open.</source>
        <translation>Die Suche braucht das Archiv, das nicht geöffnet ist.</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="66"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="78"/>
        <source>The archive cannot be used, so nothing read now is kept and search is off. {0}</source>
        <translation>Das Archiv kann nicht benutzt werden: Was jetzt gelesen wird, wird nicht aufbewahrt, und die Suche ist aus. {0}</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="94"/>
        <source>A batch of one document was interrupted on {0}.</source>
        <translation>Ein Stapel mit einem Dokument wurde am {0} unterbrochen.</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="96"/>
        <source>A batch of {0} documents was interrupted on {1}; {2} are not read yet.</source>
        <translation>Ein Stapel mit {0} Dokumenten wurde am {1} unterbrochen; {2} sind noch nicht gelesen.</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="116"/>
        <source>The interrupted batch was discarded; its pages read so far stay archived.</source>
        <translation>Der unterbrochene Stapel wurde verworfen; seine bereits gelesenen Seiten bleiben im Archiv.</translation>
    </message>
    <message>
        <location filename="../archive_panel.py" line="187"/>
        <source>The archive holds no pages of {0}.</source>
        <translation>Das Archiv enthält keine Seiten von {0}.</translation>
    </message>
</context>
<context>
    <name>ArchivedCorrections</name>
    <message>
        <location filename="../corrections.py" line="112"/>
        <source>This page has no corrections to undo.</source>
        <translation>Diese Seite hat keine Korrekturen, die sich rückgängig machen ließen.</translation>
    </message>
    <message>
        <location filename="../corrections.py" line="140"/>
        <source>The archive keeps no first reading of this page.</source>
        <translation>Das Archiv hat keine erste Lesung dieser Seite.</translation>
    </message>
    <message>
        <location filename="../corrections.py" line="146"/>
        <source>The engine&apos;s reading of the page is back.</source>
        <translation>Die Lesung der Engine ist wiederhergestellt.</translation>
    </message>
    <message>
        <location filename="../corrections.py" line="157"/>
        <source>The correction could not be kept in the archive: {0}</source>
        <translation>Die Korrektur konnte nicht im Archiv gespeichert werden: {0}</translation>
    </message>
</context>
<context>
    <name>AreaActions</name>
    <message>
        <location filename="../area_actions.py" line="62"/>
        <source>Select a read page first.</source>
        <translation>Wählen Sie zuerst eine gelesene Seite.</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="66"/>
        <source>Drag a frame around the text to copy (Esc: cancel).</source>
        <translation>Ziehen Sie ein Rechteck um den Text, der kopiert werden soll (Esc: abbrechen).</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="75"/>
        <source>Select lines in the text first (as read, not while changed).</source>
        <translation>Zuerst Zeilen im Text markieren (wie gelesen, nicht während der Korrektur).</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="86"/>
        <source>The page&apos;s image is not shown yet.</source>
        <translation>Das Bild der Seite wird noch nicht angezeigt.</translation>
    </message>
    <message numerus="yes">
        <location filename="../area_actions.py" line="91"/>
        <source>Framed %n line(s): Ctrl+Shift+R reads them again, the page&apos;s menu has the rest.</source>
        <translation>
            <numerusform>%n Zeile eingerahmt: Strg+Umschalt+R liest sie neu, das Menü der Seite bietet den Rest.</numerusform>
            <numerusform>%n Zeilen eingerahmt: Strg+Umschalt+R liest sie neu, das Menü der Seite bietet den Rest.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="102"/>
        <source>This page has not been read yet.</source>
        <translation>Diese Seite ist noch nicht gelesen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../area_actions.py" line="109"/>
        <source>Copied the text in the frame: %n line(s).</source>
        <translation>
            <numerusform>Text im Rechteck kopiert: %n Zeile.</numerusform>
            <numerusform>Text im Rechteck kopiert: %n Zeilen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="111"/>
        <source>No recognised text in the frame.</source>
        <translation>Kein erkannter Text im Rechteck.</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="123"/>
        <source>Copied {0}: &apos;ablage-desktop ocr {0} ...&apos; reads this area of every page.</source>
        <translation>{0} kopiert: &apos;ablage-desktop ocr {0} ...&apos; liest diesen Bereich jeder Seite.</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="129"/>
        <source>This page&apos;s text has no places on the page (its engine gives none, or a correction added or removed lines): use the text instead.</source>
        <translation>Der Text dieser Seite hat keine Positionen auf der Seite (sie wurde ohne Zeilenpositionen gelesen, oder eine Korrektur hat Zeilen hinzugefügt oder entfernt): nehmen Sie stattdessen den Text.</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="140"/>
        <source>&amp;Copy the text in the frame</source>
        <translation>Text im Rechteck &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="142"/>
        <source>Copy the frame for the command &amp;line (--area)</source>
        <translation>Rechteck für die Kommando&amp;zeile kopieren (--area)</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="147"/>
        <source>&amp;Read the frame again with</source>
        <translation>Rechteck &amp;neu lesen mit</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="152"/>
        <source>Read the frame on &amp;every page of the document...</source>
        <translation>Das Rechteck auf &amp;jeder Seite des Dokuments lesen...</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="153"/>
        <source>Read the frame on every document in the &amp;queue...</source>
        <translation>Das Rechteck in jedem Dokument der &amp;Warteschlange lesen...</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="154"/>
        <source>A table of what the frame holds on each page, read by the chosen engine</source>
        <translation>Eine Tabelle dessen, was das Rechteck auf jeder Seite enthält, gelesen mit der gewählten Texterkennung</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="163"/>
        <source>Frame an area first: drag with Shift held</source>
        <translation>Zuerst einen Bereich aufziehen: mit gedrückter Umschalttaste ziehen</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="186"/>
        <source>Frame an area of a page that has been read first.</source>
        <translation>Ziehen Sie zuerst ein Rechteck auf einer gelesenen Seite auf.</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="194"/>
        <source>Reading the frame again with {0}...</source>
        <translation>Das Rechteck wird mit {0} neu gelesen …</translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="217"/>
        <source>The document left the queue before its frame was read again.</source>
        <translation>Das Dokument wurde aus der Warteschlange entfernt, bevor sein Rechteck neu gelesen war.</translation>
    </message>
    <message numerus="yes">
        <location filename="../area_actions.py" line="221"/>
        <source>Read the frame again with {0}: %n line(s).</source>
        <translation>
            <numerusform>Rechteck mit {0} neu gelesen: %n Zeile.</numerusform>
            <numerusform>Rechteck mit {0} neu gelesen: %n Zeilen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../area_actions.py" line="227"/>
        <source>{0} could not read the frame: {1}</source>
        <translation>{0} konnte das Rechteck nicht lesen: {1}</translation>
    </message>
</context>
<context>
    <name>BatchProgress</name>
    <message>
        <location filename="../batch_progress.py" line="39"/>
        <source>Progress of the batch</source>
        <translation>Fortschritt des Stapels</translation>
    </message>
    <message>
        <location filename="../batch_progress.py" line="43"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../batch_progress.py" line="44"/>
        <source>Cancel the batch</source>
        <translation>Stapel abbrechen</translation>
    </message>
    <message>
        <location filename="../batch_progress.py" line="70"/>
        <source>{0} files were not documents and were skipped.</source>
        <translation>{0} Dateien waren keine Dokumente und wurden übersprungen.</translation>
    </message>
    <message>
        <location filename="../batch_progress.py" line="150"/>
        <source>cancelling ...</source>
        <translation>breche ab ...</translation>
    </message>
    <message>
        <location filename="../batch_progress.py" line="152"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>BatchSummary</name>
    <message>
        <location filename="../widgets/batch_summary.py" line="15"/>
        <source>Result of the last batch</source>
        <translation>Ergebnis des letzten Stapels</translation>
    </message>
    <message>
        <location filename="../widgets/batch_summary.py" line="18"/>
        <source>Reading ...</source>
        <translation>Lese ...</translation>
    </message>
    <message>
        <location filename="../widgets/batch_summary.py" line="21"/>
        <source>Cancelling: the page being read finishes, no new one starts ...</source>
        <translation>Abbruch: Die laufende Seite wird fertig gelesen, keine neue beginnt ...</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="27"/>
        <source>%n document(s) done</source>
        <translation>
            <numerusform>%n Dokument fertig</numerusform>
            <numerusform>%n Dokumente fertig</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="29"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="31"/>
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n abgebrochen</numerusform>
            <numerusform>%n abgebrochen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/batch_summary.py" line="33"/>
        <source>in {0} s</source>
        <translation>in {0} s</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="35"/>
        <source>%n page(s) taken from the archive</source>
        <translation>
            <numerusform>%n Seite aus dem Archiv übernommen</numerusform>
            <numerusform>%n Seiten aus dem Archiv übernommen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BenchDialog</name>
    <message>
        <location filename="../bench_dialog.py" line="56"/>
        <source>Benchmark</source>
        <translation>Benchmark</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="79"/>
        <source>The error rate (CER) is measured on the documents that have their transcription beside them, as name.gt.txt.</source>
        <translation>Die Zeichenfehlerrate (CER) wird an den Dokumenten gemessen, neben denen ihre Abschrift als name.gt.txt liegt.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="86"/>
        <source>Documents are being read; the benchmark starts when they are done.</source>
        <translation>Es werden gerade Dokumente gelesen; der Benchmark beginnt, sobald sie fertig sind.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="112"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="114"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="115"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="116"/>
        <source>Save &amp;record...</source>
        <translation>&amp;Messwerte speichern...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="117"/>
        <source>Every figure of the run as JSON</source>
        <translation>Alle Messwerte des Laufs als JSON</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="118"/>
        <source>Save c&amp;hart...</source>
        <translation>&amp;Diagramm speichern...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="119"/>
        <source>The chart as a PNG image</source>
        <translation>Das Diagramm als PNG-Bild</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="94"/>
        <source>Progress of the benchmark</source>
        <translation>Fortschritt des Benchmarks</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="95"/>
        <source>Ready.</source>
        <translation>Bereit.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="96"/>
        <source>State of the benchmark</source>
        <translation>Stand des Benchmarks</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="163"/>
        <source>{0} document(s) from the queue.</source>
        <translation>{0} Dokument(e) aus der Warteschlange.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="166"/>
        <source>The queue is empty: add documents first.</source>
        <translation>Die Warteschlange ist leer: zuerst Dokumente hinzufügen.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="185"/>
        <source>Add documents to the queue and choose at least one model.</source>
        <translation>Dokumente in die Warteschlange legen und mindestens ein Modell wählen.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="213"/>
        <source>Waiting for the documents being read to finish ...</source>
        <translation>Warten, bis die gerade gelesenen Dokumente fertig sind ...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="215"/>
        <location filename="../bench_dialog.py" line="233"/>
        <source>Starting ...</source>
        <translation>Wird gestartet ...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="223"/>
        <source>Cancelling ...</source>
        <translation>Wird abgebrochen ...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="244"/>
        <source>loading</source>
        <translation>wird geladen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="245"/>
        <source>warming up</source>
        <translation>wärmt sich auf</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="246"/>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="247"/>
        <source>loading the models again that were loaded before</source>
        <translation>die vorher geladenen Modelle werden wieder geladen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="252"/>
        <source>{0}/{1} pages</source>
        <translation>{0}/{1} Seiten</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="262"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="270"/>
        <source>Done in {0:.0f} s.</source>
        <translation>Fertig in {0:.0f} s.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="273"/>
        <source>{0} setting(s) could not be measured; the table says why.</source>
        <translation>{0} Einstellung(en) konnten nicht gemessen werden; die Tabelle nennt den Grund.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="293"/>
        <source>The benchmark failed: {0}</source>
        <translation>Der Benchmark ist fehlgeschlagen: {0}</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="317"/>
        <source>Save the benchmark record</source>
        <translation>Messwerte des Benchmarks speichern</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="319"/>
        <source>JSON record (*.json)</source>
        <translation>JSON-Messwerte (*.json)</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="329"/>
        <source>Save the benchmark chart</source>
        <translation>Diagramm des Benchmarks speichern</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="329"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="339"/>
        <location filename="../bench_dialog.py" line="348"/>
        <source>Cannot write {0}: {1}</source>
        <translation>{0} kann nicht geschrieben werden: {1}</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="341"/>
        <location filename="../bench_dialog.py" line="350"/>
        <source>Saved {0}.</source>
        <translation>{0} gespeichert.</translation>
    </message>
</context>
<context>
    <name>BenchOptions</name>
    <message>
        <location filename="../widgets/bench_options.py" line="44"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="55"/>
        <source>Timed runs</source>
        <translation>Gemessene Durchläufe</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="56"/>
        <source>How often every document is read with the clock on</source>
        <translation>Wie oft jedes Dokument bei laufender Uhr gelesen wird</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="60"/>
        <source>Warm-up pages</source>
        <translation>Seiten zum Aufwärmen</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="62"/>
        <source>Pages read after a model is loaded and before the clock runs</source>
        <translation>Seiten, die nach dem Laden eines Modells gelesen werden, bevor die Uhr läuft</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="65"/>
        <source>Compare with the engines on their own (tesseract program, RapidOCR)</source>
        <translation>Mit den Texterkennungen allein vergleichen (Programm tesseract, RapidOCR)</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="70"/>
        <source>Timed runs:</source>
        <translation>Gemessene Durchläufe:</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="71"/>
        <source>Warm-up pages:</source>
        <translation>Seiten zum Aufwärmen:</translation>
    </message>
    <message>
        <location filename="../widgets/bench_options.py" line="107"/>
        <source>Not available: {0}</source>
        <translation>Nicht verfügbar: {0}</translation>
    </message>
</context>
<context>
    <name>BenchResultTabs</name>
    <message>
        <location filename="../widgets/bench_result.py" line="61"/>
        <source>Benchmark chart</source>
        <translation>Diagramm des Benchmarks</translation>
    </message>
    <message>
        <location filename="../widgets/bench_result.py" line="63"/>
        <source>Benchmark table</source>
        <translation>Tabelle des Benchmarks</translation>
    </message>
    <message>
        <location filename="../widgets/bench_result.py" line="65"/>
        <source>Chart</source>
        <translation>Diagramm</translation>
    </message>
    <message>
        <location filename="../widgets/bench_result.py" line="66"/>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
</context>
<context>
    <name>CloseQuestion</name>
    <message>
        <location filename="../close_guard.py" line="21"/>
        <source>Quit while reading?</source>
        <translation>Während des Lesens beenden?</translation>
    </message>
    <message numerus="yes">
        <location filename="../close_guard.py" line="22"/>
        <source>%n document(s) are not read yet.</source>
        <translation>
            <numerusform>%n Dokument ist noch nicht gelesen.</numerusform>
            <numerusform>%n Dokumente sind noch nicht gelesen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../close_guard.py" line="25"/>
        <source>If you quit now, reading stops after the current page. The batch is kept and offered for resuming at the next start.</source>
        <translation>Wenn Sie jetzt beenden, endet das Lesen nach der aktuellen Seite. Der Stapel bleibt erhalten und wird beim nächsten Start zum Fortsetzen angeboten.</translation>
    </message>
    <message>
        <location filename="../close_guard.py" line="30"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
</context>
<context>
    <name>DocumentExport</name>
    <message>
        <location filename="../document_export.py" line="31"/>
        <source>Text (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="32"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="33"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="34"/>
        <source>hOCR (*.hocr *.html)</source>
        <translation>hOCR (*.hocr *.html)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="35"/>
        <source>ALTO XML, for archives and libraries (*.xml)</source>
        <translation>ALTO-XML, für Archive und Bibliotheken (*.xml)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="36"/>
        <source>Searchable PDF (*.pdf)</source>
        <translation>Durchsuchbares PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="37"/>
        <source>Table, a row a page (*.csv)</source>
        <translation>Tabelle, eine Zeile je Seite (*.csv)</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="41"/>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="41"/>
        <source>searchable PDF</source>
        <translation>durchsuchbares PDF</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="58"/>
        <source>Select a finished document first.</source>
        <translation>Bitte zuerst ein fertiges Dokument auswählen.</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="92"/>
        <source>Exporting {0} as {1} ...</source>
        <translation>{0} wird als {1} exportiert ...</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="99"/>
        <source>Exported as {0}: {1}</source>
        <translation>Als {0} exportiert: {1}</translation>
    </message>
    <message>
        <location filename="../document_export.py" line="106"/>
        <source>Export failed: {0}</source>
        <translation>Export fehlgeschlagen: {0}</translation>
    </message>
</context>
<context>
    <name>DocumentIntake</name>
    <message>
        <location filename="../intake.py" line="70"/>
        <source>Open documents</source>
        <translation>Dokumente öffnen</translation>
    </message>
    <message>
        <location filename="../intake.py" line="72"/>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location filename="../intake.py" line="72"/>
        <source>All files</source>
        <translation>Alle Dateien</translation>
    </message>
    <message>
        <location filename="../intake.py" line="82"/>
        <source>Open a folder of documents</source>
        <translation>Ordner mit Dokumenten öffnen</translation>
    </message>
    <message>
        <location filename="../intake.py" line="97"/>
        <source>The clipboard holds no image.</source>
        <translation>Die Zwischenablage enthält kein Bild.</translation>
    </message>
    <message>
        <location filename="../intake.py" line="118"/>
        <source>a temporary folder</source>
        <translation>einem temporären Ordner</translation>
    </message>
    <message>
        <location filename="../intake.py" line="120"/>
        <source>The pasted image could not be saved in {0}.</source>
        <translation>Das eingefügte Bild konnte nicht in {0} gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>EngineChoice</name>
    <message>
        <location filename="../engine_choice.py" line="35"/>
        <location filename="../engine_choice.py" line="36"/>
        <source>Engine for the next documents</source>
        <translation>Texterkennung für die nächsten Dokumente</translation>
    </message>
    <message>
        <location filename="../engine_choice.py" line="37"/>
        <source>auto (chosen per page)</source>
        <translation>automatisch (je Seite gewählt)</translation>
    </message>
    <message>
        <location filename="../engine_choice.py" line="74"/>
        <source>Select a model in the models table first.</source>
        <translation>Bitte zuerst ein Modell in der Modelltabelle auswählen.</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <location filename="../workers/batch.py" line="82"/>
        <source>No documents found in what was dropped.</source>
        <translation>Unter den abgelegten Dateien sind keine Dokumente.</translation>
    </message>
    <message>
        <location filename="../workers/batch.py" line="96"/>
        <source>That batch has nothing left to read.</source>
        <translation>In diesem Stapel ist nichts mehr zu lesen.</translation>
    </message>
</context>
<context>
    <name>ExportAll</name>
    <message>
        <location filename="../export_all.py" line="40"/>
        <source>No document with pages to export yet.</source>
        <translation>Noch kein Dokument mit Seiten zum Exportieren.</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="44"/>
        <source>Export all into</source>
        <translation>Alle exportieren nach</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="54"/>
        <source>Export all</source>
        <translation>Alle exportieren</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="55"/>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="90"/>
        <source>Exporting {0} document(s) ...</source>
        <translation>{0} Dokument(e) werden exportiert ...</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="100"/>
        <source>Exported {0} document(s) into {1}.</source>
        <translation>{0} Dokument(e) nach {1} exportiert.</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="107"/>
        <source>Not every document was exported</source>
        <translation>Nicht jedes Dokument wurde exportiert</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="108"/>
        <source>These were not written:
{0}</source>
        <translation>Diese wurden nicht geschrieben:
{0}</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="114"/>
        <source>Replace files?</source>
        <translation>Dateien ersetzen?</translation>
    </message>
    <message>
        <location filename="../export_all.py" line="115"/>
        <source>{0} of the files are in the folder already ({1}). Replace them?</source>
        <translation>{0} der Dateien liegen schon im Ordner ({1}). Ersetzen?</translation>
    </message>
</context>
<context>
    <name>FramePages</name>
    <message>
        <location filename="../frame_pages.py" line="157"/>
        <source>Frame an area of a page that has been read first.</source>
        <translation>Ziehen Sie zuerst ein Rechteck auf einer gelesenen Seite auf.</translation>
    </message>
</context>
<context>
    <name>FramePagesDialog</name>
    <message>
        <location filename="../frame_pages.py" line="220"/>
        <source>The frame on every page: {0}</source>
        <translation>Das Rechteck auf jeder Seite: {0}</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="223"/>
        <location filename="../frame_pages.py" line="310"/>
        <source>Page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="223"/>
        <location filename="../frame_pages.py" line="310"/>
        <source>Text in the frame</source>
        <translation>Text im Rechteck</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="231"/>
        <source>The frame&apos;s text on each page</source>
        <translation>Der Text des Rechtecks auf jeder Seite</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="235"/>
        <source>&amp;Copy as table</source>
        <translation>Als Tabelle &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="236"/>
        <source>&amp;Save as CSV...</source>
        <translation>Als CSV &amp;speichern...</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="237"/>
        <source>C&amp;lose</source>
        <translation>S&amp;chließen</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="267"/>
        <source>(not read: {0})</source>
        <translation>(nicht gelesen: {0})</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="253"/>
        <source>Reading page {0} of {1} with {2}...</source>
        <translation>Seite {0} von {1} wird mit {2} gelesen ...</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="219"/>
        <source>the queue</source>
        <translation>die Warteschlange</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="223"/>
        <location filename="../frame_pages.py" line="310"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="232"/>
        <source>Double-click a row to see its page</source>
        <translation>Doppelklick auf eine Zeile zeigt ihre Seite</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="271"/>
        <source>{0}
{1:.0%} sure</source>
        <translation>{0}
{1:.0%} sicher</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="291"/>
        <source>Read the frame on {0} of {1} pages with {2}.</source>
        <translation>Das Rechteck auf {0} von {1} Seiten mit {2} gelesen.</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="315"/>
        <source>Copied {0} row(s).</source>
        <translation>{0} Zeile(n) kopiert.</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="320"/>
        <source>Save the table</source>
        <translation>Die Tabelle speichern</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="322"/>
        <source>Table, a row a page (*.csv)</source>
        <translation>Tabelle, eine Zeile je Seite (*.csv)</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="335"/>
        <source>No page has been read yet.</source>
        <translation>Noch ist keine Seite gelesen.</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="344"/>
        <source>Not saved: {0}</source>
        <translation>Nicht gespeichert: {0}</translation>
    </message>
    <message>
        <location filename="../frame_pages.py" line="346"/>
        <source>Saved {0}.</source>
        <translation>{0} gespeichert.</translation>
    </message>
</context>
<context>
    <name>LanguageBox</name>
    <message>
        <location filename="../widgets/language_box.py" line="18"/>
        <source>Language of the documents</source>
        <translation>Sprache der Dokumente</translation>
    </message>
    <message>
        <location filename="../widgets/language_box.py" line="21"/>
        <source>as configured</source>
        <translation>wie konfiguriert</translation>
    </message>
    <message>
        <location filename="../widgets/language_box.py" line="22"/>
        <source>German</source>
        <translation>Deutsch</translation>
    </message>
    <message>
        <location filename="../widgets/language_box.py" line="23"/>
        <source>English</source>
        <translation>Englisch</translation>
    </message>
    <message>
        <location filename="../widgets/language_box.py" line="24"/>
        <source>German and English</source>
        <translation>Deutsch und Englisch</translation>
    </message>
    <message>
        <location filename="../widgets/language_box.py" line="43"/>
        <source>Language of the next documents, for the chosen engine</source>
        <translation>Sprache der nächsten Dokumente, für die gewählte Texterkennung</translation>
    </message>
    <message>
        <location filename="../widgets/language_box.py" line="47"/>
        <source>The language applies to an engine chosen by name that is told its languages (Tesseract); the others recognise the language themselves.</source>
        <translation>Die Sprache gilt für eine namentlich gewählte Texterkennung, der man ihre Sprachen angibt (Tesseract); die anderen erkennen die Sprache selbst.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../export_target.py" line="56"/>
        <source>Export the result</source>
        <translation>Ergebnis exportieren</translation>
    </message>
    <message>
        <location filename="../export_target.py" line="72"/>
        <source>Not exported</source>
        <translation>Nicht exportiert</translation>
    </message>
    <message>
        <location filename="../export_target.py" line="73"/>
        <source>Nothing was written: {0}.</source>
        <translation>Es wurde nichts geschrieben: {0}.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302"/>
        <source>Speed, memory and accuracy of the models on the queue&apos;s documents</source>
        <translation>Geschwindigkeit, Speicherbedarf und Genauigkeit der Modelle an den Dokumenten der Warteschlange</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="304"/>
        <location filename="../main_window.py" line="313"/>
        <source>Add documents to the queue first: the benchmark reads them.</source>
        <translation>Zuerst Dokumente in die Warteschlange legen: der Benchmark liest sie.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="340"/>
        <source>Error: {0}</source>
        <translation>Fehler: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="344"/>
        <source>Something went wrong</source>
        <translation>Ein Fehler ist aufgetreten</translation>
    </message>
</context>
<context>
    <name>MemoryGraph</name>
    <message>
        <location filename="../widgets/memory_series.py" line="25"/>
        <source>process RSS</source>
        <translation>Prozess-RSS</translation>
    </message>
    <message>
        <location filename="../widgets/memory_series.py" line="26"/>
        <source>helper processes RSS</source>
        <translation>RSS der Hilfsprozesse</translation>
    </message>
    <message>
        <location filename="../widgets/memory_series.py" line="27"/>
        <source>system RAM used</source>
        <translation>belegter Arbeitsspeicher</translation>
    </message>
    <message>
        <location filename="../widgets/memory_series.py" line="28"/>
        <source>VRAM allocated</source>
        <translation>VRAM zugewiesen</translation>
    </message>
    <message>
        <location filename="../widgets/memory_series.py" line="29"/>
        <source>VRAM reserved</source>
        <translation>VRAM reserviert</translation>
    </message>
    <message>
        <location filename="../widgets/memory_series.py" line="30"/>
        <source>device VRAM used</source>
        <translation>VRAM des Geräts belegt</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="14"/>
        <source>RAM budget</source>
        <translation>RAM-Budget</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="15"/>
        <source>VRAM budget</source>
        <translation>VRAM-Budget</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="18"/>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="19"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="20"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="110"/>
        <source>Memory graph</source>
        <translation>Speicherverlauf</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="112"/>
        <source>Process RSS, system RAM and VRAM over the last minutes</source>
        <translation>Prozessspeicher (RSS), Arbeitsspeicher und Grafikspeicher der letzten Minuten</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="116"/>
        <source>Memory in GiB: the app&apos;s RSS, its helper processes&apos; RSS (page decoding,
models that read in a process of their own), system RAM,
and VRAM where a GPU is present.
Dashed lines: budgets. Vertical lines: model loads and unloads.
Band colour: memory pressure (amber = warning, red = critical).
The mouse wheel over the curves shows more or fewer minutes.</source>
        <translation>Speicher in GiB: RSS der App, RSS ihrer Hilfsprozesse (Seiten dekodieren,
Modelle, die in eigenen Prozessen lesen), Arbeitsspeicher
und, wo eine GPU vorhanden ist, VRAM.
Gestrichelte Linien: Budgets. Senkrechte Linien: Modelle geladen und entladen.
Farbe des Hintergrunds: Speicherauslastung (gelb = Warnung, rot = kritisch).
Das Mausrad über den Kurven zeigt mehr oder weniger Minuten.</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="145"/>
        <location filename="../widgets/memory_text.py" line="47"/>
        <source>no samples yet</source>
        <translation>noch keine Messwerte</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="147"/>
        <source>Time span of the memory graph</source>
        <translation>Zeitraum des Speicherverlaufs</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/memory_graph.py" line="150"/>
        <source>last %n min</source>
        <translation>
            <numerusform>letzte %n min</numerusform>
            <numerusform>letzte %n min</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="153"/>
        <source>Memory summary</source>
        <translation>Speicherübersicht</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="155"/>
        <source>Memory pressure</source>
        <translation>Speicherauslastung</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="167"/>
        <source>Memory curves</source>
        <translation>Speicherkurven</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="173"/>
        <source>memory (GiB)</source>
        <translation>Speicher (GiB)</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="174"/>
        <source>seconds before now</source>
        <translation>Sekunden vor jetzt</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="49"/>
        <source>RSS {0}</source>
        <translation>RSS {0}</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="51"/>
        <source>helper processes {0}</source>
        <translation>Hilfsprozesse {0}</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="52"/>
        <source>RAM used {0}</source>
        <translation>RAM belegt {0}</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="54"/>
        <source>no GPU</source>
        <translation>keine GPU</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="57"/>
        <source>VRAM alloc {0}</source>
        <translation>VRAM zugew. {0}</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="58"/>
        <source>reserved {0}</source>
        <translation>reserviert {0}</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="59"/>
        <source>used {0}</source>
        <translation>belegt {0}</translation>
    </message>
    <message>
        <location filename="../widgets/memory_text.py" line="36"/>
        <source>pressure: {0}</source>
        <translation>Auslastung: {0}</translation>
    </message>
</context>
<context>
    <name>MemoryStatus</name>
    <message>
        <location filename="../memory_status.py" line="28"/>
        <source>memory: normal</source>
        <translation>Speicher: normal</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="29"/>
        <source>Memory pressure</source>
        <translation>Speicherauslastung</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="40"/>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="41"/>
        <source>warning</source>
        <translation>erhöht</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="42"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="44"/>
        <source>memory: {0}</source>
        <translation>Speicher: {0}</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="52"/>
        <source>{0} loaded</source>
        <translation>{0} geladen</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="54"/>
        <source>{0} unloaded</source>
        <translation>{0} entladen</translation>
    </message>
    <message>
        <location filename="../memory_status.py" line="59"/>
        <source>Memory leak: {0} is still referenced after unloading</source>
        <translation>Speicherleck: {0} wird nach dem Entladen noch referenziert</translation>
    </message>
</context>
<context>
    <name>ModelRequests</name>
    <message>
        <location filename="../model_requests.py" line="71"/>
        <source>Loading {0} ...</source>
        <translation>{0} wird geladen ...</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="77"/>
        <source>{0} is loaded.</source>
        <translation>{0} ist geladen.</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="100"/>
        <source>{0} is reading a page; it unloads as soon as it is done.</source>
        <translation>{0} liest gerade eine Seite und wird entladen, sobald sie fertig ist.</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="103"/>
        <source>{0} is unloaded.</source>
        <translation>{0} ist entladen.</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="111"/>
        <source>{0} cannot load as {1}.</source>
        <translation>{0} kann nicht als {1} geladen werden.</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="120"/>
        <source>{0} will load as {1}.</source>
        <translation>{0} wird als {1} geladen.</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="137"/>
        <source>{0} is ready.</source>
        <translation>{0} ist bereit.</translation>
    </message>
    <message>
        <location filename="../model_requests.py" line="142"/>
        <source>Asking {0} whether it answers ...</source>
        <translation>{0} wird gefragt, ob er antwortet ...</translation>
    </message>
</context>
<context>
    <name>ModelsPanel</name>
    <message>
        <location filename="../widgets/models_panel.py" line="58"/>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="63"/>
        <source>What the memory manager budgets for the model: loaded, and reading a page</source>
        <translation>Was die Speicherverwaltung für das Modell einplant: geladen und beim Lesen einer Seite</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="70"/>
        <source>What loading the model took on this machine, before any page
(a page adds to it while it is read)</source>
        <translation>Was das Laden des Modells auf diesem Rechner belegt hat, vor der ersten Seite
(eine Seite kommt beim Lesen hinzu)</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="88"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="96"/>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="97"/>
        <source>&amp;Unload</source>
        <translation>E&amp;ntladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="98"/>
        <source>Unload &amp;all</source>
        <translation>Alle en&amp;tladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="100"/>
        <source>Load the selected model</source>
        <translation>Ausgewähltes Modell laden</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="101"/>
        <source>Unload the selected model</source>
        <translation>Ausgewähltes Modell entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="102"/>
        <source>Unload every model</source>
        <translation>Alle Modelle entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="136"/>
        <source>unavailable</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="172"/>
        <source>server: this machine</source>
        <translation>Server: dieser Rechner</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="173"/>
        <source>server: {0}</source>
        <translation>Server: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="177"/>
        <source>Pages go to a server on this machine.</source>
        <translation>Die Seiten gehen an einen Server auf diesem Rechner.</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="178"/>
        <source>Pages are sent to {0} (send_documents is on for this model).</source>
        <translation>Die Seiten werden an {0} gesendet (send_documents ist für dieses Modell an).</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="186"/>
        <source>{0:.0f} ms</source>
        <translation>{0:.0f} ms</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="189"/>
        <source>{0} s/page</source>
        <translation>{0} s/Seite</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/models_panel.py" line="192"/>
        <source>%n running</source>
        <translation>
            <numerusform>%n läuft</numerusform>
            <numerusform>%n laufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/models_panel.py" line="193"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="199"/>
        <source>unloaded</source>
        <translation>entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="200"/>
        <source>loading</source>
        <translation>wird geladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="201"/>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="202"/>
        <source>busy</source>
        <translation>beschäftigt</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="203"/>
        <source>unloading</source>
        <translation>wird entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="204"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="52"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="53"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="54"/>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="55"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="56"/>
        <source>Estimated</source>
        <translation>Geschätzt</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="57"/>
        <source>Measured</source>
        <translation>Gemessen</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../widgets/notice_bar.py" line="29"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>PageDetails</name>
    <message>
        <location filename="../page_details.py" line="20"/>
        <source>Read by {0} in {1:.1f} s</source>
        <translation>Gelesen von {0} in {1:.1f} s</translation>
    </message>
    <message>
        <location filename="../page_details.py" line="23"/>
        <source>Why: {0}</source>
        <translation>Warum: {0}</translation>
    </message>
    <message>
        <location filename="../page_details.py" line="24"/>
        <source>{0} did not read it: {1}</source>
        <translation>{0} hat sie nicht gelesen: {1}</translation>
    </message>
    <message>
        <location filename="../page_details.py" line="27"/>
        <source>Before reading: {0}</source>
        <translation>Vor dem Lesen: {0}</translation>
    </message>
    <message>
        <location filename="../page_details.py" line="30"/>
        <source>Corrected in the window</source>
        <translation>Im Fenster korrigiert</translation>
    </message>
</context>
<context>
    <name>PageNavigation</name>
    <message>
        <location filename="../page_navigation.py" line="50"/>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../page_navigation.py" line="51"/>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <location filename="../page_navigation.py" line="55"/>
        <source>Page number</source>
        <translation>Seitenzahl</translation>
    </message>
    <message>
        <location filename="../page_navigation.py" line="110"/>
        <source>page {0} of {1}</source>
        <translation>Seite {0} von {1}</translation>
    </message>
    <message>
        <location filename="../page_navigation.py" line="112"/>
        <source> (from the archive)</source>
        <translation> (aus dem Archiv)</translation>
    </message>
</context>
<context>
    <name>PageTurns</name>
    <message>
        <location filename="../page_turns.py" line="41"/>
        <source>90° &amp;clockwise</source>
        <translation>90° im &amp;Uhrzeigersinn</translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="42"/>
        <source>&amp;180°</source>
        <translation>&amp;180°</translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="43"/>
        <source>90° c&amp;ounter-clockwise</source>
        <translation>90° &amp;gegen den Uhrzeigersinn</translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="48"/>
        <source>&amp;Turn the page and read it again</source>
        <translation>Seite &amp;drehen und neu lesen</translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="63"/>
        <source>Select a page that has been read first.</source>
        <translation>Wählen Sie zuerst eine gelesene Seite.</translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="68"/>
        <source>Reading the page again, turned {0}...</source>
        <translation>Die Seite wird neu gelesen, gedreht um {0} ...</translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="84"/>
        <source>The document left the queue before its page was read again.</source>
        <translation>Das Dokument wurde aus der Warteschlange entfernt, bevor seine Seite neu gelesen war.</translation>
    </message>
    <message numerus="yes">
        <location filename="../page_turns.py" line="88"/>
        <source>Read the page again, turned {0}: %n line(s).</source>
        <translation>
            <numerusform>Seite neu gelesen, gedreht um {0}: %n Zeile.</numerusform>
            <numerusform>Seite neu gelesen, gedreht um {0}: %n Zeilen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../page_turns.py" line="102"/>
        <source>The page could not be read again: {0}</source>
        <translation>Die Seite konnte nicht neu gelesen werden: {0}</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <location filename="../widgets/page_view.py" line="80"/>
        <source>Page view</source>
        <translation>Seitenansicht</translation>
    </message>
    <message>
        <location filename="../widgets/page_view.py" line="83"/>
        <source>The page image with a box around each recognised line; drag with Shift held to copy the text of an area</source>
        <translation>Das Seitenbild mit einem Rahmen um jede erkannte Zeile; mit gedrückter Umschalttaste ziehen, um den Text eines Bereichs zu kopieren</translation>
    </message>
    <message>
        <location filename="../widgets/page_view.py" line="428"/>
        <source>Drop scans, photos or PDFs here</source>
        <translation>Scans, Fotos oder PDFs hierher ziehen</translation>
    </message>
</context>
<context>
    <name>PdfPasswords</name>
    <message>
        <location filename="../pdf_passwords.py" line="35"/>
        <source>Enter password…</source>
        <translation>Passwort eingeben…</translation>
    </message>
    <message>
        <location filename="../pdf_passwords.py" line="46"/>
        <source>Protected by a password: {0}. Enter it to read them.</source>
        <translation>Durch ein Passwort geschützt: {0}. Geben Sie es ein, um sie zu lesen.</translation>
    </message>
    <message>
        <location filename="../pdf_passwords.py" line="56"/>
        <source>PDF password</source>
        <translation>PDF-Passwort</translation>
    </message>
    <message>
        <location filename="../pdf_passwords.py" line="57"/>
        <source>The password of {0} (kept until the app closes):</source>
        <translation>Das Passwort von {0} (gilt, bis die App geschlossen wird):</translation>
    </message>
</context>
<context>
    <name>QuantizationMenu</name>
    <message>
        <location filename="../widgets/quantization_menu.py" line="29"/>
        <source>Select a model in the models table first.</source>
        <translation>Wählen Sie zuerst ein Modell in der Modelltabelle aus.</translation>
    </message>
    <message>
        <location filename="../widgets/quantization_menu.py" line="31"/>
        <source>{0} has no quantization to choose.</source>
        <translation>{0} hat keine wählbare Quantisierung.</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../widgets/queue_model.py" line="74"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="75"/>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="76"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="77"/>
        <source>Engine</source>
        <translation>Texterkennung</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="42"/>
        <source>Document queue</source>
        <translation>Warteschlange der Dokumente</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="84"/>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="85"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="86"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="87"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="88"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="89"/>
        <source>from the archive</source>
        <translation>aus dem Archiv</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="99"/>
        <source> ({0} page(s) read)</source>
        <translation> ({0} Seite(n) gelesen)</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="103"/>
        <source> ({0} from the archive)</source>
        <translation> ({0} aus dem Archiv)</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="107"/>
        <source> (edited)</source>
        <translation> (bearbeitet)</translation>
    </message>
    <message>
        <location filename="../widgets/queue_model.py" line="122"/>
        <source>{0} page(s) taken from the archive, not read again</source>
        <translation>{0} Seite(n) aus dem Archiv übernommen, nicht neu gelesen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="163"/>
        <source>Export...</source>
        <translation>Exportieren...</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="166"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="167"/>
        <source>Read the cancelled documents on; pages read so far are kept</source>
        <translation>Die abgebrochenen Dokumente weiterlesen; bereits gelesene Seiten bleiben erhalten</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="171"/>
        <source>Read again &amp;with</source>
        <translation>Erneut lesen &amp;mit</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="177"/>
        <source>&amp;Remove from the queue</source>
        <translation>Aus der Liste &amp;entfernen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="180"/>
        <source>&amp;Clear finished</source>
        <translation>&amp;Fertige leeren</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <location filename="../reasons.py" line="20"/>
        <source>The file is not there any more.</source>
        <translation>Die Datei ist nicht mehr vorhanden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="21"/>
        <source>The file may not be read (no permission).</source>
        <translation>Die Datei darf nicht gelesen werden (keine Berechtigung).</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="22"/>
        <source>The file is empty.</source>
        <translation>Die Datei ist leer.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="23"/>
        <source>This kind of file cannot be read.</source>
        <translation>Diese Art von Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="24"/>
        <source>The file is damaged.</source>
        <translation>Die Datei ist beschädigt.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="25"/>
        <source>The file is incomplete (cut short or damaged); what it holds was read.</source>
        <translation>Die Datei ist unvollständig (abgeschnitten oder beschädigt); gelesen wurde, was sie enthält.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="28"/>
        <source>The PDF is protected by a password: enter it in the bar above the documents, or keep it under intake.pdf_passwords in your configuration file.</source>
        <translation>Das PDF ist durch ein Passwort geschützt: geben Sie es in der Leiste über den Dokumenten ein, oder tragen Sie es unter intake.pdf_passwords in Ihre Konfigurationsdatei ein.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="33"/>
        <source>The document is too large.</source>
        <translation>Das Dokument ist zu groß.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="34"/>
        <source>None of the pages asked for is in the document.</source>
        <translation>Keine der verlangten Seiten ist im Dokument.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="37"/>
        <source>The file made the reader crash.</source>
        <translation>Die Datei hat das Lesen zum Absturz gebracht.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="38"/>
        <source>Opening the file took too long.</source>
        <translation>Das Öffnen der Datei hat zu lange gedauert.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="39"/>
        <source>The file could not be opened.</source>
        <translation>Die Datei konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="40"/>
        <source>The file could not be read.</source>
        <translation>Die Datei konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="41"/>
        <source>The configuration is not valid.</source>
        <translation>Die Konfiguration ist ungültig.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="42"/>
        <source>That is not possible.</source>
        <translation>Das ist nicht möglich.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="43"/>
        <source>There is no such engine.</source>
        <translation>Diese Texterkennung gibt es nicht.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="44"/>
        <source>The engine cannot be used on this computer.</source>
        <translation>Diese Texterkennung kann auf diesem Computer nicht verwendet werden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="47"/>
        <source>The engine could not be loaded.</source>
        <translation>Die Texterkennung konnte nicht geladen werden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="48"/>
        <location filename="../reasons.py" line="49"/>
        <location filename="../reasons.py" line="50"/>
        <source>The model files were refused as unsafe.</source>
        <translation>Die Modelldateien wurden als unsicher abgelehnt.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="51"/>
        <source>The model files are damaged.</source>
        <translation>Die Modelldateien sind beschädigt.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="52"/>
        <source>There is not enough memory for the engine.</source>
        <translation>Für die Texterkennung ist nicht genug Speicher frei.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="55"/>
        <source>The engine ran out of memory.</source>
        <translation>Der Texterkennung ist der Speicher ausgegangen.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="56"/>
        <source>The engine is busy.</source>
        <translation>Die Texterkennung ist beschäftigt.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="57"/>
        <source>The result could not be written.</source>
        <translation>Das Ergebnis konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="58"/>
        <source>The engine could not read the page.</source>
        <translation>Die Texterkennung konnte die Seite nicht lesen.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="59"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="60"/>
        <source>The server could not read the page.</source>
        <translation>Der Server konnte die Seite nicht lesen.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="61"/>
        <source>The server cannot be reached.</source>
        <translation>Der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="62"/>
        <source>The server did not answer in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="63"/>
        <source>The server refused the page.</source>
        <translation>Der Server hat die Seite abgelehnt.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="64"/>
        <source>The server&apos;s answer could not be used.</source>
        <translation>Die Antwort des Servers war nicht verwendbar.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="65"/>
        <source>The server&apos;s certificate was not accepted.</source>
        <translation>Das Zertifikat des Servers wurde nicht akzeptiert.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="66"/>
        <source>Something unexpected went wrong; the details tell the developers what.</source>
        <translation>Etwas Unerwartetes ist schiefgegangen; die Details sagen den Entwicklern, was.</translation>
    </message>
    <message>
        <location filename="../reasons.py" line="69"/>
        <source>Something went wrong.</source>
        <translation>Etwas ist schiefgegangen.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../widgets/search_panel.py" line="101"/>
        <location filename="../widgets/search_panel.py" line="153"/>
        <source>Type words in the search field to search the archive.</source>
        <translation>Wörter ins Suchfeld eingeben, um im Archiv zu suchen.</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="102"/>
        <source>Search summary</source>
        <translation>Zusammenfassung der Suche</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="105"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="105"/>
        <source>Page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="105"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="107"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="138"/>
        <source>{0}, read by {1}</source>
        <translation>{0}, gelesen mit {1}</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="143"/>
        <source>{0} page(s) found for “{1}”; double-click one to open it.</source>
        <translation>{0} Seite(n) gefunden für „{1}“; Doppelklick öffnet eine.</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="148"/>
        <source>Nothing in the archive matches “{0}”.</source>
        <translation>Nichts im Archiv passt zu „{0}“.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../widgets/server_dialog.py" line="32"/>
        <source>Add inference server</source>
        <translation>Inferenz-Server hinzufügen</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="40"/>
        <source>name of an environment variable (optional)</source>
        <translation>Name einer Umgebungsvariablen (optional)</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="45"/>
        <source>Try this server first for every page (auto)</source>
        <translation>Diesen Server für jede Seite zuerst versuchen (auto)</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="51"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="51"/>
        <source>Model name</source>
        <translation>Modellname</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="52"/>
        <source>Base &amp;URL:</source>
        <translation>Basis-&amp;URL:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="52"/>
        <source>Base URL of the server</source>
        <translation>Basis-URL des Servers</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="53"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="53"/>
        <source>Model name on the server</source>
        <translation>Modellname auf dem Server</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="54"/>
        <source>API &amp;key variable:</source>
        <translation>Variable des API-&amp;Schlüssels:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="54"/>
        <source>API key variable</source>
        <translation>Variable des API-Schlüssels</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="55"/>
        <source>Pages at &amp;once:</source>
        <translation>Seiten &amp;gleichzeitig:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="55"/>
        <source>Pages at once</source>
        <translation>Seiten gleichzeitig</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="85"/>
        <source>Choose a new name (letters, digits, _ . -).</source>
        <translation>Wählen Sie einen neuen Namen (Buchstaben, Ziffern, _ . -).</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="88"/>
        <source>The base URL must look like http://host:port/v1.</source>
        <translation>Die Basis-URL muss wie http://host:port/v1 aussehen.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="90"/>
        <source>Name the model as the server knows it.</source>
        <translation>Nennen Sie das Modell so, wie der Server es kennt.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="93"/>
        <source>Give the NAME of an environment variable, not the key itself.</source>
        <translation>Geben Sie den NAMEN einer Umgebungsvariablen an, nicht den Schlüssel selbst.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="95"/>
        <source>Tick the box to allow sending pages to {0}.</source>
        <translation>Setzen Sie das Häkchen, um Seiten an {0} senden zu dürfen.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="101"/>
        <source>Send pages to this server (it runs on this machine)</source>
        <translation>Seiten an diesen Server senden (er läuft auf diesem Rechner)</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="105"/>
        <source>Send my pages to {0} (they leave this computer)</source>
        <translation>Meine Seiten an {0} senden (sie verlassen diesen Computer)</translation>
    </message>
</context>
<context>
    <name>TextPane</name>
    <message>
        <location filename="../widgets/text_pane.py" line="108"/>
        <source>Page text</source>
        <translation>Seitentext</translation>
    </message>
    <message>
        <location filename="../widgets/text_pane.py" line="109"/>
        <source>The recognised text of the page appears here</source>
        <translation>Hier erscheint der erkannte Text der Seite</translation>
    </message>
    <message>
        <location filename="../widgets/text_pane.py" line="154"/>
        <source>Markdown with the page&apos;s headings, lists and tables</source>
        <translation>Markdown mit den Überschriften, Listen und Tabellen der Seite</translation>
    </message>
    <message>
        <location filename="../widgets/text_pane.py" line="334"/>
        <source>Copy all text</source>
        <translation>Gesamten Text kopieren</translation>
    </message>
    <message>
        <location filename="../widgets/text_pane.py" line="335"/>
        <source>Copy as running text</source>
        <translation>Als Fließtext kopieren</translation>
    </message>
</context>
<context>
    <name>UnsureLines</name>
    <message>
        <location filename="../unsure_lines.py" line="99"/>
        <source>No unsure line after this one in the document&apos;s pages read.</source>
        <translation>Keine unsichere Zeile nach dieser in den gelesenen Seiten des Dokuments.</translation>
    </message>
    <message>
        <location filename="../unsure_lines.py" line="101"/>
        <source>No unsure line before this one in the document&apos;s pages read.</source>
        <translation>Keine unsichere Zeile vor dieser in den gelesenen Seiten des Dokuments.</translation>
    </message>
</context>
<context>
    <name>WatchedFolders</name>
    <message>
        <location filename="../watched_folders.py" line="59"/>
        <source>Watch a folder</source>
        <translation>Einen Ordner überwachen</translation>
    </message>
    <message>
        <location filename="../watched_folders.py" line="73"/>
        <source>Watching {0}: documents that arrive there from now on are read (File &gt; Open folder reads what is there already).</source>
        <translation>{0} wird überwacht: Dokumente, die von jetzt an dort ankommen, werden gelesen (Datei &gt; Ordner öffnen liest, was schon dort liegt).</translation>
    </message>
    <message>
        <location filename="../watched_folders.py" line="91"/>
        <source>(no folder is watched)</source>
        <translation>(kein Ordner wird überwacht)</translation>
    </message>
    <message>
        <location filename="../watched_folders.py" line="106"/>
        <source>Watching: {0}</source>
        <translation>Überwacht: {0}</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <location filename="../menus.py" line="39"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../menus.py" line="40"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../menus.py" line="41"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../menus.py" line="42"/>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <location filename="../menus.py" line="43"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="44"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../menus.py" line="45"/>
        <source>&amp;About</source>
        <translation>Ü&amp;ber Ablage Desktop</translation>
    </message>
    <message>
        <location filename="../menus.py" line="61"/>
        <source>&amp;Open documents...</source>
        <translation>Dokumente ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="64"/>
        <source>Open &amp;folder...</source>
        <translation>&amp;Ordner öffnen...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="67"/>
        <source>&amp;Paste image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="70"/>
        <source>&amp;Export...</source>
        <translation>E&amp;xportieren...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="76"/>
        <source>Save the selected document&apos;s text as text, Markdown, JSON, hOCR or PDF</source>
        <translation>Den Text des ausgewählten Dokuments als Text, Markdown, JSON, hOCR oder PDF speichern</translation>
    </message>
    <message>
        <location filename="../menus.py" line="80"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../menus.py" line="83"/>
        <source>Export &amp;all...</source>
        <translation>&amp;Alle exportieren...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="86"/>
        <source>Save every document&apos;s text into one folder, in one format</source>
        <translation>Den Text jedes Dokuments in einen Ordner speichern, in einem Format</translation>
    </message>
    <message>
        <location filename="../menus.py" line="88"/>
        <source>&amp;Watch a folder...</source>
        <translation>Ordner über&amp;wachen...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="90"/>
        <source>Read every document that arrives in a folder, such as a scanner&apos;s</source>
        <translation>Jedes Dokument lesen, das in einem Ordner ankommt, etwa dem eines Scanners</translation>
    </message>
    <message>
        <location filename="../menus.py" line="102"/>
        <source>&amp;Stop watching</source>
        <translation>Überwachung beende&amp;n</translation>
    </message>
    <message>
        <location filename="../menus.py" line="110"/>
        <source>Copy &amp;all text</source>
        <translation>&amp;Gesamten Text kopieren</translation>
    </message>
    <message>
        <location filename="../menus.py" line="114"/>
        <source>Copy as &amp;running text</source>
        <translation>Als &amp;Fließtext kopieren</translation>
    </message>
    <message>
        <location filename="../menus.py" line="118"/>
        <source>Copy the page text with each paragraph in one line and words broken by a hyphen joined again, for a mail or a document</source>
        <translation>Den Seitentext kopieren, jeden Absatz in einer Zeile und getrennte Wörter wieder zusammengefügt, für eine Mail oder ein Dokument</translation>
    </message>
    <message>
        <location filename="../menus.py" line="124"/>
        <source>Copy the text of an ar&amp;ea</source>
        <translation>Text eines &amp;Bereichs kopieren</translation>
    </message>
    <message>
        <location filename="../menus.py" line="127"/>
        <source>Frame an area on the page to copy the text in it (or drag with Shift held)</source>
        <translation>Ein Rechteck auf der Seite aufziehen, um den Text darin zu kopieren (oder mit gedrückter Umschalttaste ziehen)</translation>
    </message>
    <message>
        <location filename="../menus.py" line="131"/>
        <source>Fra&amp;me the lines selected in the text</source>
        <translation>Die im Text &amp;markierten Zeilen einrahmen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="137"/>
        <source>Draw the frame around the lines the text&apos;s selection (or the cursor) is in: to read them again or copy the frame without the mouse</source>
        <translation>Das Rechteck um die Zeilen ziehen, in denen die Markierung (oder der Cursor) im Text steht: um sie neu zu lesen oder das Rechteck ohne Maus zu kopieren</translation>
    </message>
    <message>
        <location filename="../menus.py" line="143"/>
        <source>Read the frame a&amp;gain</source>
        <translation>Rechteck &amp;neu lesen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="147"/>
        <source>Read the area framed on the page again with the engine chosen in the engine box; its lines take the place of what stood there</source>
        <translation>Den auf der Seite aufgezogenen Bereich mit der gewählten Texterkennung neu lesen; seine Zeilen ersetzen, was dort stand</translation>
    </message>
    <message>
        <location filename="../menus.py" line="152"/>
        <source>&amp;Correct the text</source>
        <translation>Text &amp;korrigieren</translation>
    </message>
    <message>
        <location filename="../menus.py" line="155"/>
        <source>Correct the recognised text; the export writes the corrected text</source>
        <translation>Den erkannten Text korrigieren; der Export schreibt den korrigierten Text</translation>
    </message>
    <message>
        <location filename="../menus.py" line="159"/>
        <source>Go to the &amp;next unsure line</source>
        <translation>Zur nächsten &amp;unsicheren Zeile</translation>
    </message>
    <message>
        <location filename="../menus.py" line="163"/>
        <source>Select the next line the engine was unsure of (an amber or red box), on this page or the next ones, to check it</source>
        <translation>Die nächste Zeile auswählen, bei der die Texterkennung unsicher war (ein gelber oder roter Rahmen), auf dieser oder den nächsten Seiten, um sie zu prüfen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="169"/>
        <source>Go to the &amp;previous unsure line</source>
        <translation>Zur &amp;vorigen unsicheren Zeile</translation>
    </message>
    <message>
        <location filename="../menus.py" line="173"/>
        <source>&amp;Undo the corrections of the page</source>
        <translation>Korrekturen der Seite &amp;rückgängig machen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="176"/>
        <source>Put the engine&apos;s reading of the page back, also in the archive</source>
        <translation>Die Lesung der Engine wiederherstellen, auch im Archiv</translation>
    </message>
    <message>
        <location filename="../menus.py" line="180"/>
        <source>C&amp;lear finished documents</source>
        <translation>Fertige Dokumente &amp;leeren</translation>
    </message>
    <message>
        <location filename="../menus.py" line="184"/>
        <source>&amp;Find in the archive</source>
        <translation>Im Archiv &amp;suchen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="195"/>
        <source>Zoom &amp;in</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <location filename="../menus.py" line="198"/>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../menus.py" line="200"/>
        <source>&amp;Fit width</source>
        <translation>An &amp;Breite anpassen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="202"/>
        <source>Show line &amp;boxes</source>
        <translation>&amp;Zeilenrahmen anzeigen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="206"/>
        <source>&amp;Next page</source>
        <translation>&amp;Nächste Seite</translation>
    </message>
    <message>
        <location filename="../menus.py" line="207"/>
        <source>&amp;Previous page</source>
        <translation>&amp;Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../menus.py" line="222"/>
        <source>Unload &amp;all</source>
        <translation>&amp;Alle entladen</translation>
    </message>
    <message>
        <location filename="../menus.py" line="225"/>
        <source>&amp;Quantization of the selected model</source>
        <translation>&amp;Quantisierung des ausgewählten Modells</translation>
    </message>
    <message>
        <location filename="../menus.py" line="228"/>
        <source>Add inference &amp;server...</source>
        <translation>Inferenz-&amp;Server hinzufügen...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="231"/>
        <source>&amp;Benchmark...</source>
        <translation>&amp;Benchmark...</translation>
    </message>
    <message>
        <location filename="../menus.py" line="236"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../menus.py" line="238"/>
        <source>System</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../menus.py" line="252"/>
        <source>&amp;Compact PDF pages</source>
        <translation>&amp;Kompakte PDF-Seiten</translation>
    </message>
    <message>
        <location filename="../menus.py" line="256"/>
        <source>Searchable PDFs: a page its file holds without loss (a photograph kept as a PNG) goes in as a JPEG where that is smaller</source>
        <translation>Durchsuchbare PDFs: Eine Seite, die ihre Datei verlustfrei speichert (ein als PNG gespeichertes Foto), wird als JPEG übernommen, wo das kleiner ist</translation>
    </message>
    <message>
        <location filename="../menus.py" line="283"/>
        <source>The language changes the next time Ablage Desktop starts.</source>
        <translation>Die Sprache wird beim nächsten Start von Ablage Desktop umgestellt.</translation>
    </message>
    <message>
        <location filename="../menus.py" line="288"/>
        <source>Main</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <location filename="../menus.py" line="292"/>
        <source> Engine: </source>
        <translation> Texterkennung: </translation>
    </message>
    <message>
        <location filename="../menus.py" line="294"/>
        <source> Language: </source>
        <translation> Sprache: </translation>
    </message>
</context>
</TS>
