<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ArchiveWorker</name>
    <message>
        <location filename="../archive_worker.py" line="74"/>
        <source>The archive holds no pages of {0}.</source>
        <translation>Das Archiv enthält keine Seiten von {0}.</translation>
    </message>
</context>
<context>
    <name>BenchDialog</name>
    <message>
        <location filename="../bench_dialog.py" line="105"/>
        <source>Benchmark</source>
        <translation>Benchmark</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="132"/>
        <source>The error rate (CER) is measured on the documents that have their transcription beside them, as name.gt.txt.</source>
        <translation>Die Zeichenfehlerrate (CER) wird an den Dokumenten gemessen, neben denen ihre Abschrift als name.gt.txt liegt.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="139"/>
        <source>Documents are being read; the benchmark starts when they are done.</source>
        <translation>Es werden gerade Dokumente gelesen; der Benchmark beginnt, sobald sie fertig sind.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="144"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="150"/>
        <source>Timed runs</source>
        <translation>Gemessene Durchläufe</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="151"/>
        <source>How often every document is read with the clock on</source>
        <translation>Wie oft jedes Dokument bei laufender Uhr gelesen wird</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="155"/>
        <source>Warm-up pages</source>
        <translation>Seiten zum Aufwärmen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="157"/>
        <source>Pages read after a model is loaded and before the clock runs</source>
        <translation>Seiten, die nach dem Laden eines Modells gelesen werden, bevor die Uhr läuft</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="160"/>
        <source>Compare with the engines on their own (tesseract program, RapidOCR)</source>
        <translation>Mit den Texterkennungen allein vergleichen (Programm tesseract, RapidOCR)</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="165"/>
        <source>Timed runs:</source>
        <translation>Gemessene Durchläufe:</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="166"/>
        <source>Warm-up pages:</source>
        <translation>Seiten zum Aufwärmen:</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="176"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="178"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="179"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="180"/>
        <source>Save &amp;record...</source>
        <translation>&amp;Messwerte speichern...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="181"/>
        <source>Every figure of the run as JSON</source>
        <translation>Alle Messwerte des Laufs als JSON</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="182"/>
        <source>Save c&amp;hart...</source>
        <translation>&amp;Diagramm speichern...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="183"/>
        <source>The chart as a PNG image</source>
        <translation>Das Diagramm als PNG-Bild</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="202"/>
        <source>Progress of the benchmark</source>
        <translation>Fortschritt des Benchmarks</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="203"/>
        <source>Ready.</source>
        <translation>Bereit.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="204"/>
        <source>State of the benchmark</source>
        <translation>Stand des Benchmarks</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="209"/>
        <source>Benchmark chart</source>
        <translation>Diagramm des Benchmarks</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="211"/>
        <source>Benchmark table</source>
        <translation>Tabelle des Benchmarks</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="214"/>
        <source>Chart</source>
        <translation>Diagramm</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="215"/>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="263"/>
        <source>{0} document(s) from the queue.</source>
        <translation>{0} Dokument(e) aus der Warteschlange.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="266"/>
        <source>The queue is empty: add documents first.</source>
        <translation>Die Warteschlange ist leer: zuerst Dokumente hinzufügen.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="288"/>
        <source>Not available: {0}</source>
        <translation>Nicht verfügbar: {0}</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="322"/>
        <source>Add documents to the queue and choose at least one model.</source>
        <translation>Dokumente in die Warteschlange legen und mindestens ein Modell wählen.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="352"/>
        <source>Waiting for the documents being read to finish ...</source>
        <translation>Warten, bis die gerade gelesenen Dokumente fertig sind ...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="354"/>
        <location filename="../bench_dialog.py" line="379"/>
        <source>Starting ...</source>
        <translation>Wird gestartet ...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="362"/>
        <source>Cancelling ...</source>
        <translation>Wird abgebrochen ...</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="390"/>
        <source>loading</source>
        <translation>wird geladen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="391"/>
        <source>warming up</source>
        <translation>wärmt sich auf</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="392"/>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="393"/>
        <source>loading the models again that were loaded before</source>
        <translation>die vorher geladenen Modelle werden wieder geladen</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="398"/>
        <source>{0}/{1} pages</source>
        <translation>{0}/{1} Seiten</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="408"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="419"/>
        <source>Done in {0:.0f} s.</source>
        <translation>Fertig in {0:.0f} s.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="422"/>
        <source>{0} setting(s) could not be measured; the table says why.</source>
        <translation>{0} Einstellung(en) konnten nicht gemessen werden; die Tabelle nennt den Grund.</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="442"/>
        <source>The benchmark failed: {0}</source>
        <translation>Der Benchmark ist fehlgeschlagen: {0}</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="466"/>
        <source>Save the benchmark record</source>
        <translation>Messwerte des Benchmarks speichern</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="468"/>
        <source>JSON record (*.json)</source>
        <translation>JSON-Messwerte (*.json)</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="478"/>
        <source>Save the benchmark chart</source>
        <translation>Diagramm des Benchmarks speichern</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="478"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="488"/>
        <location filename="../bench_dialog.py" line="497"/>
        <source>Cannot write {0}: {1}</source>
        <translation>{0} kann nicht geschrieben werden: {1}</translation>
    </message>
    <message>
        <location filename="../bench_dialog.py" line="490"/>
        <location filename="../bench_dialog.py" line="499"/>
        <source>Saved {0}.</source>
        <translation>{0} gespeichert.</translation>
    </message>
</context>
<context>
    <name>ControlWorker</name>
    <message>
        <location filename="../engine_worker.py" line="250"/>
        <source>Asking {0} whether it answers ...</source>
        <translation>{0} wird gefragt, ob er antwortet ...</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="253"/>
        <source>{0} is ready.</source>
        <translation>{0} ist bereit.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="263"/>
        <source>No documents found in what was dropped.</source>
        <translation>Unter den abgelegten Dateien sind keine Dokumente.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="279"/>
        <source>That batch has nothing left to read.</source>
        <translation>In diesem Stapel ist nichts mehr zu lesen.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="298"/>
        <source>Cannot write {0}: {1}</source>
        <translation>{0} kann nicht geschrieben werden: {1}</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="302"/>
        <source>Export failed: {0}</source>
        <translation>Export fehlgeschlagen: {0}</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="330"/>
        <source>Loading {0} ...</source>
        <translation>{0} wird geladen ...</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="332"/>
        <source>{0} is loaded.</source>
        <translation>{0} ist geladen.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="344"/>
        <source>{0} is reading a page; it unloads as soon as it is done.</source>
        <translation>{0} liest gerade eine Seite und wird entladen, sobald sie fertig ist.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="347"/>
        <source>{0} is unloaded.</source>
        <translation>{0} ist entladen.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="356"/>
        <source>{0} will load as {1}.</source>
        <translation>{0} wird als {1} geladen.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="92"/>
        <location filename="../main_window.py" line="93"/>
        <source>Engine for the next documents</source>
        <translation>Texterkennung für die nächsten Dokumente</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="94"/>
        <source>auto (chosen per page)</source>
        <translation>automatisch (je Seite gewählt)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="98"/>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="99"/>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="101"/>
        <source>Page number</source>
        <translation>Seitenzahl</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="135"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="136"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="137"/>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="147"/>
        <source>Search the archive</source>
        <translation>Im Archiv suchen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="148"/>
        <source>Search the archive (Ctrl+F)</source>
        <translation>Im Archiv suchen (Strg+F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="153"/>
        <source>Search needs the archive, which is not open.</source>
        <translation>Die Suche braucht das Archiv, das nicht geöffnet ist.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="162"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169"/>
        <source>Progress of the batch</source>
        <translation>Fortschritt des Stapels</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173"/>
        <source>memory: normal</source>
        <translation>Speicher: normal</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="174"/>
        <source>Memory pressure</source>
        <translation>Speicherauslastung</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="176"/>
        <source>Cancel the batch</source>
        <translation>Stapel abbrechen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="202"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="204"/>
        <source>&amp;Open documents...</source>
        <translation>Dokumente ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="207"/>
        <source>Open &amp;folder...</source>
        <translation>&amp;Ordner öffnen...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="210"/>
        <source>&amp;Paste image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <source>&amp;Save result...</source>
        <translation type="vanished">Ergebnis &amp;speichern...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="212"/>
        <source>&amp;Export...</source>
        <translation>E&amp;xportieren...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="217"/>
        <source>Save the selected document&apos;s text as text, Markdown, JSON, hOCR or PDF</source>
        <translation>Den Text des ausgewählten Dokuments als Text, Markdown, JSON, hOCR oder PDF speichern</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="219"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="230"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="232"/>
        <source>Copy &amp;all text</source>
        <translation>&amp;Gesamten Text kopieren</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="236"/>
        <source>&amp;Find in the archive</source>
        <translation>Im Archiv &amp;suchen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="241"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="243"/>
        <source>Zoom &amp;in</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="246"/>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="248"/>
        <source>&amp;Fit width</source>
        <translation>An &amp;Breite anpassen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="250"/>
        <source>Show line &amp;boxes</source>
        <translation>&amp;Zeilenrahmen anzeigen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="255"/>
        <source>&amp;Next page</source>
        <translation>&amp;Nächste Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="258"/>
        <source>&amp;Previous page</source>
        <translation>&amp;Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="272"/>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="273"/>
        <source>Unload &amp;all</source>
        <translation>&amp;Alle entladen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="275"/>
        <source>&amp;Quantization of the selected model</source>
        <translation>&amp;Quantisierung des ausgewählten Modells</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="280"/>
        <source>Add inference &amp;server...</source>
        <translation>Inferenz-&amp;Server hinzufügen...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="283"/>
        <source>&amp;Benchmark...</source>
        <translation>&amp;Benchmark...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="288"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="289"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="291"/>
        <source>System</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="298"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="299"/>
        <source>&amp;About</source>
        <translation>Ü&amp;ber Ablage Desktop</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="301"/>
        <source>Main</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="305"/>
        <source> Engine: </source>
        <translation> Texterkennung: </translation>
    </message>
    <message>
        <location filename="../main_window.py" line="344"/>
        <source>Memory leak: {0} is still referenced after unloading</source>
        <translation>Speicherleck: {0} wird nach dem Entladen noch referenziert</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="369"/>
        <source>Open documents</source>
        <translation>Dokumente öffnen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="372"/>
        <source>Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)</source>
        <translation>Dokumente (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="381"/>
        <source>Open a folder of documents</source>
        <translation>Ordner mit Dokumenten öffnen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="397"/>
        <source>The clipboard holds no image.</source>
        <translation>Die Zwischenablage enthält kein Bild.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="414"/>
        <source>{0} files were not documents and were skipped.</source>
        <translation>{0} Dateien waren keine Dokumente und wurden übersprungen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="455"/>
        <source>{0} done, {1} failed in {2:.1f} s</source>
        <translation>{0} fertig, {1} fehlgeschlagen in {2:.1f} s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="458"/>
        <source>; {0} page(s) taken from the archive</source>
        <translation>; {0} Seite(n) aus dem Archiv übernommen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="460"/>
        <source> (cancelled)</source>
        <translation> (abgebrochen)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="466"/>
        <source>Cancelling ...</source>
        <translation>Wird abgebrochen ...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="510"/>
        <source>page {0} of {1}</source>
        <translation>Seite {0} von {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="512"/>
        <source> (from the archive)</source>
        <translation> (aus dem Archiv)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="546"/>
        <source>Text (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="547"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="548"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="549"/>
        <source>hOCR (*.hocr *.html)</source>
        <translation>hOCR (*.hocr *.html)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="550"/>
        <source>Searchable PDF (*.pdf)</source>
        <translation>Durchsuchbares PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="554"/>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="554"/>
        <source>searchable PDF</source>
        <translation>durchsuchbares PDF</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="563"/>
        <source>Select a finished document first.</source>
        <translation>Bitte zuerst ein fertiges Dokument auswählen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="572"/>
        <source>Export the result</source>
        <translation>Ergebnis exportieren</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="595"/>
        <source>Exporting {0} as {1} ...</source>
        <translation>{0} wird als {1} exportiert ...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="602"/>
        <source>Exported as {0}: {1}</source>
        <translation>Als {0} exportiert: {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="611"/>
        <source>The archive cannot be used, so nothing read now is kept and search is off. {0}</source>
        <translation>Das Archiv kann nicht benutzt werden: Was jetzt gelesen wird, wird nicht aufbewahrt, und die Suche ist aus. {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="627"/>
        <source>A batch of one document was interrupted on {0}.</source>
        <translation>Ein Stapel mit einem Dokument wurde am {0} unterbrochen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="629"/>
        <source>A batch of {0} documents was interrupted on {1}; {2} are not read yet.</source>
        <translation>Ein Stapel mit {0} Dokumenten wurde am {1} unterbrochen; {2} sind noch nicht gelesen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="647"/>
        <source>The interrupted batch was discarded; its pages read so far stay archived.</source>
        <translation>Der unterbrochene Stapel wurde verworfen; seine bereits gelesenen Seiten bleiben im Archiv.</translation>
    </message>
    <message>
        <source>Save result</source>
        <translation type="vanished">Ergebnis speichern</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}</source>
        <translation type="vanished">{0} kann nicht geschrieben werden: {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="754"/>
        <source>Select a model in the models table first.</source>
        <translation>Bitte zuerst ein Modell in der Modelltabelle auswählen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="765"/>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="766"/>
        <source>warning</source>
        <translation>erhöht</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="767"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="769"/>
        <source>memory: {0}</source>
        <translation>Speicher: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="773"/>
        <source>load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="773"/>
        <source>unload</source>
        <translation>Entladen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="784"/>
        <source>Speed, memory and accuracy of the models on the queue&apos;s documents</source>
        <translation>Geschwindigkeit, Speicherbedarf und Genauigkeit der Modelle an den Dokumenten der Warteschlange</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="786"/>
        <location filename="../main_window.py" line="795"/>
        <source>Add documents to the queue first: the benchmark reads them.</source>
        <translation>Zuerst Dokumente in die Warteschlange legen: der Benchmark liest sie.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="813"/>
        <source>Error: {0}</source>
        <translation>Fehler: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="817"/>
        <source>Something went wrong</source>
        <translation>Ein Fehler ist aufgetreten</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="829"/>
        <source>The language changes the next time Ablage Desktop starts.</source>
        <translation>Die Sprache wird beim nächsten Start von Ablage Desktop umgestellt.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="835"/>
        <source>About Ablage Desktop</source>
        <translation>Über Ablage Desktop</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="836"/>
        <source>Ablage Desktop {0}: OCR for the office archive.</source>
        <translation>Ablage Desktop {0}: Texterkennung für das Büroarchiv.</translation>
    </message>
</context>
<context>
    <name>MemoryGraph</name>
    <message>
        <location filename="../widgets/memory_graph.py" line="92"/>
        <source>Memory graph</source>
        <translation>Speicherverlauf</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="94"/>
        <source>Process RSS, system RAM and VRAM over the last minutes</source>
        <translation>Prozessspeicher (RSS), Arbeitsspeicher und Grafikspeicher der letzten Minuten</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="104"/>
        <source>Memory summary</source>
        <translation>Speicherübersicht</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="106"/>
        <source>Memory pressure</source>
        <translation>Speicherauslastung</translation>
    </message>
    <message>
        <location filename="../widgets/memory_graph.py" line="111"/>
        <source>Memory curves</source>
        <translation>Speicherkurven</translation>
    </message>
</context>
<context>
    <name>ModelsPanel</name>
    <message>
        <location filename="../widgets/models_panel.py" line="51"/>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="60"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="68"/>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="69"/>
        <source>&amp;Unload</source>
        <translation>E&amp;ntladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="70"/>
        <source>Unload &amp;all</source>
        <translation>Alle en&amp;tladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="72"/>
        <source>Load the selected model</source>
        <translation>Ausgewähltes Modell laden</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="73"/>
        <source>Unload the selected model</source>
        <translation>Ausgewähltes Modell entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="74"/>
        <source>Unload every model</source>
        <translation>Alle Modelle entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="98"/>
        <source>unavailable</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="128"/>
        <source>server: this machine</source>
        <translation>Server: dieser Rechner</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="129"/>
        <source>server: {0}</source>
        <translation>Server: {0}</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="133"/>
        <source>Pages go to a server on this machine.</source>
        <translation>Die Seiten gehen an einen Server auf diesem Rechner.</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="134"/>
        <source>Pages are sent to {0} (send_documents is on for this model).</source>
        <translation>Die Seiten werden an {0} gesendet (send_documents ist für dieses Modell an).</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="142"/>
        <source>{0:.0f} ms</source>
        <translation>{0:.0f} ms</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="144"/>
        <source>{0:.2f} s/page</source>
        <translation>{0:.2f} s/Seite</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="147"/>
        <source>{0} running, {1} waiting</source>
        <translation>{0} laufen, {1} warten</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="154"/>
        <source>unloaded</source>
        <translation>entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="155"/>
        <source>loading</source>
        <translation>wird geladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="156"/>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="157"/>
        <source>busy</source>
        <translation>beschäftigt</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="158"/>
        <source>unloading</source>
        <translation>wird entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="159"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="45"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="46"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="47"/>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="48"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="49"/>
        <source>Estimated</source>
        <translation>Geschätzt</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="50"/>
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
    <name>PageView</name>
    <message>
        <location filename="../widgets/page_view.py" line="129"/>
        <source>Page view</source>
        <translation>Seitenansicht</translation>
    </message>
    <message>
        <location filename="../widgets/page_view.py" line="131"/>
        <source>The page image with a box around each recognised line</source>
        <translation>Das Seitenbild mit einem Rahmen um jede erkannte Zeile</translation>
    </message>
    <message>
        <location filename="../widgets/page_view.py" line="351"/>
        <source>Drop scans, photos or PDFs here</source>
        <translation>Scans, Fotos oder PDFs hierher ziehen</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../widgets/queue_view.py" line="60"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="60"/>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="60"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="60"/>
        <source>Engine</source>
        <translation>Texterkennung</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="62"/>
        <source>Document queue</source>
        <translation>Warteschlange der Dokumente</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="169"/>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="170"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="171"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="172"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="173"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="174"/>
        <source>from the archive</source>
        <translation>aus dem Archiv</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="181"/>
        <source> ({0} from the archive)</source>
        <translation> ({0} aus dem Archiv)</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="186"/>
        <source>{0} page(s) taken from the archive, not read again</source>
        <translation>{0} Seite(n) aus dem Archiv übernommen, nicht neu gelesen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="212"/>
        <source>Export...</source>
        <translation>Exportieren...</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../widgets/search_panel.py" line="102"/>
        <location filename="../widgets/search_panel.py" line="155"/>
        <source>Type words in the search field to search the archive.</source>
        <translation>Wörter ins Suchfeld eingeben, um im Archiv zu suchen.</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="103"/>
        <source>Search summary</source>
        <translation>Zusammenfassung der Suche</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="106"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="106"/>
        <source>Page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="106"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="108"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="139"/>
        <source>{0}, read by {1}</source>
        <translation>{0}, gelesen mit {1}</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="145"/>
        <source>{0} page(s) found for “{1}”; double-click one to open it.</source>
        <translation>{0} Seite(n) gefunden für „{1}“; Doppelklick öffnet eine.</translation>
    </message>
    <message>
        <location filename="../widgets/search_panel.py" line="150"/>
        <source>Nothing in the archive matches “{0}”.</source>
        <translation>Nichts im Archiv passt zu „{0}“.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../widgets/server_dialog.py" line="33"/>
        <source>Add inference server</source>
        <translation>Inferenz-Server hinzufügen</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="41"/>
        <source>name of an environment variable (optional)</source>
        <translation>Name einer Umgebungsvariablen (optional)</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="46"/>
        <source>Try this server first for every page (auto)</source>
        <translation>Diesen Server für jede Seite zuerst versuchen (auto)</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="52"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="52"/>
        <source>Model name</source>
        <translation>Modellname</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="53"/>
        <source>Base &amp;URL:</source>
        <translation>Basis-&amp;URL:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="53"/>
        <source>Base URL of the server</source>
        <translation>Basis-URL des Servers</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="54"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="54"/>
        <source>Model name on the server</source>
        <translation>Modellname auf dem Server</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="55"/>
        <source>API &amp;key variable:</source>
        <translation>Variable des API-&amp;Schlüssels:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="55"/>
        <source>API key variable</source>
        <translation>Variable des API-Schlüssels</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="56"/>
        <source>Pages at &amp;once:</source>
        <translation>Seiten &amp;gleichzeitig:</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="56"/>
        <source>Pages at once</source>
        <translation>Seiten gleichzeitig</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="86"/>
        <source>Choose a new name (letters, digits, _ . -).</source>
        <translation>Wählen Sie einen neuen Namen (Buchstaben, Ziffern, _ . -).</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="89"/>
        <source>The base URL must look like http://host:port/v1.</source>
        <translation>Die Basis-URL muss wie http://host:port/v1 aussehen.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="91"/>
        <source>Name the model as the server knows it.</source>
        <translation>Nennen Sie das Modell so, wie der Server es kennt.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="94"/>
        <source>Give the NAME of an environment variable, not the key itself.</source>
        <translation>Geben Sie den NAMEN einer Umgebungsvariablen an, nicht den Schlüssel selbst.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="96"/>
        <source>Tick the box to allow sending pages to {0}.</source>
        <translation>Setzen Sie das Häkchen, um Seiten an {0} senden zu dürfen.</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="102"/>
        <source>Send pages to this server (it runs on this machine)</source>
        <translation>Seiten an diesen Server senden (er läuft auf diesem Rechner)</translation>
    </message>
    <message>
        <location filename="../widgets/server_dialog.py" line="106"/>
        <source>Send my pages to {0} (they leave this computer)</source>
        <translation>Meine Seiten an {0} senden (sie verlassen diesen Computer)</translation>
    </message>
</context>
<context>
    <name>TextPane</name>
    <message>
        <location filename="../widgets/text_pane.py" line="122"/>
        <source>Page text</source>
        <translation>Seitentext</translation>
    </message>
    <message>
        <location filename="../widgets/text_pane.py" line="123"/>
        <source>The recognised text of the page appears here</source>
        <translation>Hier erscheint der erkannte Text der Seite</translation>
    </message>
</context>
</TS>
