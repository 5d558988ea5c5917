<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AreaActions</name>
    <message numerus="yes">
        <location filename="../area_actions.py" line="91"/>
        <source>Framed %n line(s): Ctrl+Shift+R reads them again, the page&apos;s menu has the rest.</source>
        <translation>
            <numerusform>Framed %n line: Ctrl+Shift+R reads it again, the page&apos;s menu has the rest.</numerusform>
            <numerusform>Framed %n lines: Ctrl+Shift+R reads them again, the page&apos;s menu has the rest.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../area_actions.py" line="109"/>
        <source>Copied the text in the frame: %n line(s).</source>
        <translation>
            <numerusform>Copied the text in the frame: %n line.</numerusform>
            <numerusform>Copied the text in the frame: %n lines.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../area_actions.py" line="221"/>
        <source>Read the frame again with {0}: %n line(s).</source>
        <translation>
            <numerusform>Read the frame again with {0}: %n line.</numerusform>
            <numerusform>Read the frame again with {0}: %n lines.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchSummary</name>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="27"/>
        <source>%n document(s) done</source>
        <translation>
            <numerusform>%n document done</numerusform>
            <numerusform>%n documents done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="29"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="31"/>
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n cancelled</numerusform>
            <numerusform>%n cancelled</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/batch_summary.py" line="35"/>
        <source>%n page(s) taken from the archive</source>
        <translation>
            <numerusform>%n page taken from the archive</numerusform>
            <numerusform>%n pages taken from the archive</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CloseQuestion</name>
    <message numerus="yes">
        <location filename="../close_guard.py" line="22"/>
        <source>%n document(s) are not read yet.</source>
        <translation>
            <numerusform>%n document is not read yet.</numerusform>
            <numerusform>%n documents are not read yet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemoryGraph</name>
    <message numerus="yes">
        <location filename="../widgets/memory_graph.py" line="150"/>
        <source>last %n min</source>
        <translation>
            <numerusform>last %n min</numerusform>
            <numerusform>last %n min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelsPanel</name>
    <message numerus="yes">
        <location filename="../widgets/models_panel.py" line="192"/>
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/models_panel.py" line="193"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PageTurns</name>
    <message numerus="yes">
        <location filename="../page_turns.py" line="88"/>
        <source>Read the page again, turned {0}: %n line(s).</source>
        <translation>
            <numerusform>Read the page again, turned {0}: %n line.</numerusform>
            <numerusform>Read the page again, turned {0}: %n lines.</numerusform>
        </translation>
    </message>
</context>
</TS>
