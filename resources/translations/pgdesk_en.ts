<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>DropTableDialog</name>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln row</numerusform>
            <numerusform>%Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Your %Ln unsaved change(s) will be lost too.</source>
        <translation>
            <numerusform>Your unsaved change will be lost too.</numerusform>
            <numerusform>Your %Ln unsaved changes will be lost too.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GridClipboard</name>
    <message numerus="yes">
        <source>Copied %Ln cell(s).</source>
        <translation>
            <numerusform>Copied %Ln cell.</numerusform>
            <numerusform>Copied %Ln cells.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) with the header line.</source>
        <translation>
            <numerusform>Copied %Ln row with the header line.</numerusform>
            <numerusform>Copied %Ln rows with the header line.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as CSV.</source>
        <translation>
            <numerusform>Copied %Ln row as CSV.</numerusform>
            <numerusform>Copied %Ln rows as CSV.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as JSON.</source>
        <translation>
            <numerusform>Copied %Ln row as JSON.</numerusform>
            <numerusform>Copied %Ln rows as JSON.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as SQL INSERT statement(s).</source>
        <translation>
            <numerusform>Copied %Ln row as an SQL INSERT statement.</numerusform>
            <numerusform>Copied %Ln rows as SQL INSERT statements.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as a Markdown table.</source>
        <translation>
            <numerusform>Copied %Ln row as a Markdown table.</numerusform>
            <numerusform>Copied %Ln rows as a Markdown table.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pasted %Ln row(s) of CSV.</source>
        <translation>
            <numerusform>Pasted %Ln row of CSV.</numerusform>
            <numerusform>Pasted %Ln rows of CSV.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pasted %Ln new row(s); Save writes them.</source>
        <translation>
            <numerusform>Pasted %Ln new row; Save writes it.</numerusform>
            <numerusform>Pasted %Ln new rows; Save writes them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RowDetailsDialog</name>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln character</numerusform>
            <numerusform>%Ln characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SaveFlow</name>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln row</numerusform>
            <numerusform>%Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s)</source>
        <translation>
            <numerusform>%Ln change</numerusform>
            <numerusform>%Ln changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was written; your %Ln change(s) are still staged.</source>
        <translation>
            <numerusform>Nothing was written; your change is still staged.</numerusform>
            <numerusform>Nothing was written; your %Ln changes are still staged.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln change(s).</source>
        <translation>
            <numerusform>Saved %Ln change.</numerusform>
            <numerusform>Saved %Ln changes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %Ln unsaved change(s)?</source>
        <translation>
            <numerusform>Discard %Ln unsaved change?</numerusform>
            <numerusform>Discard %Ln unsaved changes?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Marked %Ln row(s) for deletion: Save deletes them, Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>Marked %Ln row for deletion: Save deletes it, Ctrl+Z brings it back.</numerusform>
            <numerusform>Marked %Ln rows for deletion: Save deletes them, Ctrl+Z brings them back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln row(s) from %1?</source>
        <translation>
            <numerusform>Delete %Ln row from %1?</numerusform>
            <numerusform>Delete %Ln rows from %1?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %Ln row(s)…</source>
        <translation>
            <numerusform>Deleting %Ln row…</numerusform>
            <numerusform>Deleting %Ln rows…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %Ln row(s).</source>
        <translation>
            <numerusform>Deleted %Ln row.</numerusform>
            <numerusform>Deleted %Ln rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You have %Ln unsaved change(s).</source>
        <translation>
            <numerusform>You have %Ln unsaved change.</numerusform>
            <numerusform>You have %Ln unsaved changes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusBarPanel</name>
    <message numerus="yes">
        <source>%Ln unsaved change(s)</source>
        <translation>
            <numerusform>%Ln unsaved change</numerusform>
            <numerusform>%Ln unsaved changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) to delete</source>
        <translation>
            <numerusform>%Ln row to delete</numerusform>
            <numerusform>%Ln rows to delete</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln row</numerusform>
            <numerusform>%Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsaved edit(s) for rows another client deleted</source>
        <translation>
            <numerusform>%Ln unsaved edit is for a row another client deleted</numerusform>
            <numerusform>%Ln unsaved edits are for rows another client deleted</numerusform>
        </translation>
    </message>
</context>
</TS>
