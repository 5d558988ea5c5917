<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ControlWorker</name>
    <message>
        <location filename="../engine_worker.py" line="146"/>
        <source>No documents found in what was dropped.</source>
        <translation>Unter den abgelegten Dateien sind keine Dokumente.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="174"/>
        <source>Loading {0} ...</source>
        <translation>{0} wird geladen ...</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="176"/>
        <source>{0} is loaded.</source>
        <translation>{0} ist geladen.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="188"/>
        <source>{0} is reading a page; it unloads as soon as it is done.</source>
        <translation>{0} liest gerade eine Seite und wird entladen, sobald sie fertig ist.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="191"/>
        <source>{0} is unloaded.</source>
        <translation>{0} ist entladen.</translation>
    </message>
    <message>
        <location filename="../engine_worker.py" line="200"/>
        <source>{0} will load as {1}.</source>
        <translation>{0} wird als {1} geladen.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="76"/>
        <location filename="../main_window.py" line="77"/>
        <source>Engine for the next documents</source>
        <translation>Texterkennung für die nächsten Dokumente</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="78"/>
        <source>auto (chosen per page)</source>
        <translation>automatisch (je Seite gewählt)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="82"/>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="83"/>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="85"/>
        <source>Page number</source>
        <translation>Seitenzahl</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="116"/>
        <source>Progress of the batch</source>
        <translation>Fortschritt des Stapels</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="120"/>
        <source>memory: normal</source>
        <translation>Speicher: normal</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="121"/>
        <source>Memory pressure</source>
        <translation>Speicherauslastung</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="122"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="123"/>
        <source>Cancel the batch</source>
        <translation>Stapel abbrechen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="148"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="150"/>
        <source>&amp;Open documents...</source>
        <translation>Dokumente ö&amp;ffnen...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="153"/>
        <source>Open &amp;folder...</source>
        <translation>&amp;Ordner öffnen...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="156"/>
        <source>&amp;Paste image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="159"/>
        <source>&amp;Save result...</source>
        <translation>Ergebnis &amp;speichern...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="161"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169"/>
        <source>Copy &amp;all text</source>
        <translation>&amp;Gesamten Text kopieren</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175"/>
        <source>Zoom &amp;in</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="178"/>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="180"/>
        <source>&amp;Fit width</source>
        <translation>An &amp;Breite anpassen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="182"/>
        <source>Show line &amp;boxes</source>
        <translation>&amp;Zeilenrahmen anzeigen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="187"/>
        <source>&amp;Next page</source>
        <translation>&amp;Nächste Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="190"/>
        <source>&amp;Previous page</source>
        <translation>&amp;Vorherige Seite</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="202"/>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="203"/>
        <source>Unload &amp;all</source>
        <translation>&amp;Alle entladen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="205"/>
        <source>&amp;Quantization of the selected model</source>
        <translation>&amp;Quantisierung des ausgewählten Modells</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="211"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="212"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="214"/>
        <source>System</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="221"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="222"/>
        <source>&amp;About</source>
        <translation>Ü&amp;ber Ablage Desktop</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="224"/>
        <source>Main</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="227"/>
        <source> Engine: </source>
        <translation> Texterkennung: </translation>
    </message>
    <message>
        <location filename="../main_window.py" line="248"/>
        <source>Memory leak: {0} is still referenced after unloading</source>
        <translation>Speicherleck: {0} wird nach dem Entladen noch referenziert</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="274"/>
        <source>Open documents</source>
        <translation>Dokumente öffnen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="277"/>
        <source>Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)</source>
        <translation>Dokumente (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="286"/>
        <source>Open a folder of documents</source>
        <translation>Ordner mit Dokumenten öffnen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302"/>
        <source>The clipboard holds no image.</source>
        <translation>Die Zwischenablage enthält kein Bild.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="319"/>
        <source>{0} files were not documents and were skipped.</source>
        <translation>{0} Dateien waren keine Dokumente und wurden übersprungen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="349"/>
        <source>{0} done, {1} failed in {2:.1f} s</source>
        <translation>{0} fertig, {1} fehlgeschlagen in {2:.1f} s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="351"/>
        <source> (cancelled)</source>
        <translation> (abgebrochen)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="357"/>
        <source>Cancelling ...</source>
        <translation>Wird abgebrochen ...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="398"/>
        <source>page {0} of {1}</source>
        <translation>Seite {0} von {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="418"/>
        <source>Select a finished document first.</source>
        <translation>Bitte zuerst ein fertiges Dokument auswählen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="423"/>
        <source>Save result</source>
        <translation>Ergebnis speichern</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="436"/>
        <source>Cannot write {0}: {1}</source>
        <translation>{0} kann nicht geschrieben werden: {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="478"/>
        <source>Select a model in the models table first.</source>
        <translation>Bitte zuerst ein Modell in der Modelltabelle auswählen.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="489"/>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="490"/>
        <source>warning</source>
        <translation>erhöht</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="491"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="493"/>
        <source>memory: {0}</source>
        <translation>Speicher: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="499"/>
        <source>load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="499"/>
        <source>unload</source>
        <translation>Entladen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="507"/>
        <source>Error: {0}</source>
        <translation>Fehler: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="511"/>
        <source>Something went wrong</source>
        <translation>Ein Fehler ist aufgetreten</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="523"/>
        <source>The language changes the next time Ablage Desktop starts.</source>
        <translation>Die Sprache wird beim nächsten Start von Ablage Desktop umgestellt.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="529"/>
        <source>About Ablage Desktop</source>
        <translation>Über Ablage Desktop</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="530"/>
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
        <location filename="../widgets/models_panel.py" line="50"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="56"/>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="57"/>
        <source>&amp;Unload</source>
        <translation>E&amp;ntladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="58"/>
        <source>Unload &amp;all</source>
        <translation>Alle en&amp;tladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="60"/>
        <source>Load the selected model</source>
        <translation>Ausgewähltes Modell laden</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="61"/>
        <source>Unload the selected model</source>
        <translation>Ausgewähltes Modell entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="62"/>
        <source>Unload every model</source>
        <translation>Alle Modelle entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="86"/>
        <source>unavailable</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="109"/>
        <source>unloaded</source>
        <translation>entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="110"/>
        <source>loading</source>
        <translation>wird geladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="111"/>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="112"/>
        <source>busy</source>
        <translation>beschäftigt</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="113"/>
        <source>unloading</source>
        <translation>wird entladen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="114"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="38"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="39"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="40"/>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="41"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="42"/>
        <source>Estimated</source>
        <translation>Geschätzt</translation>
    </message>
    <message>
        <location filename="../widgets/models_panel.py" line="43"/>
        <source>Measured</source>
        <translation>Gemessen</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <location filename="../widgets/page_view.py" line="103"/>
        <source>Page view</source>
        <translation>Seitenansicht</translation>
    </message>
    <message>
        <location filename="../widgets/page_view.py" line="105"/>
        <source>The page image with a box around each recognised line</source>
        <translation>Das Seitenbild mit einem Rahmen um jede erkannte Zeile</translation>
    </message>
    <message>
        <location filename="../widgets/page_view.py" line="311"/>
        <source>Drop scans, photos or PDFs here</source>
        <translation>Scans, Fotos oder PDFs hierher ziehen</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../widgets/queue_view.py" line="48"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="48"/>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="48"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="48"/>
        <source>Engine</source>
        <translation>Texterkennung</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="50"/>
        <source>Document queue</source>
        <translation>Warteschlange der Dokumente</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="120"/>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="121"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="122"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="123"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_view.py" line="124"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>TextPane</name>
    <message>
        <location filename="../widgets/text_pane.py" line="77"/>
        <source>Page text</source>
        <translation>Seitentext</translation>
    </message>
    <message>
        <location filename="../widgets/text_pane.py" line="78"/>
        <source>The recognised text of the page appears here</source>
        <translation>Hier erscheint der erkannte Text der Seite</translation>
    </message>
</context>
</TS>
