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
    <message numerus="yes">
        <source>Copied %Ln row(s).</source>
        <translation>
            <numerusform>Copied %Ln row.</numerusform>
            <numerusform>Copied %Ln rows.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MatchingSelection</name>
    <message numerus="yes">
        <source>all %Ln row(s) of the table</source>
        <translation>
            <numerusform>the %Ln row of the table</numerusform>
            <numerusform>all %Ln rows of the table</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %Ln row(s) that match the filter</source>
        <translation>
            <numerusform>the %Ln row that matches the filter</numerusform>
            <numerusform>all %Ln rows that match the filter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %Ln row(s) in view are selected.</source>
        <translation>
            <numerusform>The %Ln row in view is selected.</numerusform>
            <numerusform>All %Ln rows in view are selected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Select all %Ln matching row(s)</source>
        <translation>
            <numerusform>Select the %Ln matching row</numerusform>
            <numerusform>Select all %Ln matching rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %Ln matching row(s) are selected.</source>
        <translation>
            <numerusform>The %Ln matching row is selected.</numerusform>
            <numerusform>All %Ln matching rows are selected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln row(s)</source>
        <translation>
            <numerusform>Delete %Ln row</numerusform>
            <numerusform>Delete %Ln rows</numerusform>
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
        <source>Nothing was deleted: %Ln row(s) match now, not the %1 you confirmed. Another client changed the table meanwhile; select all matching rows again to see them.</source>
        <translation>
            <numerusform>Nothing was deleted: %Ln row matches now, not the %1 you confirmed. Another client changed the table meanwhile; select all matching rows again to see them.</numerusform>
            <numerusform>Nothing was deleted: %Ln rows match now, not the %1 you confirmed. Another client changed the table meanwhile; select all matching rows again to see them.</numerusform>
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
        <source>%Ln row(s) match: too many for the clipboard, which takes at most %1. Export writes them to a CSV file instead.</source>
        <translation>
            <numerusform>%Ln row matches: too many for the clipboard, which takes at most %1. Export writes them to a CSV file instead.</numerusform>
            <numerusform>%Ln rows match: too many for the clipboard, which takes at most %1. Export writes them to a CSV file instead.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copy %Ln row(s)</source>
        <translation>
            <numerusform>Copy %Ln row</numerusform>
            <numerusform>Copy %Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reading %Ln row(s) for the clipboard…</source>
        <translation>
            <numerusform>Reading %Ln row for the clipboard…</numerusform>
            <numerusform>Reading %Ln rows for the clipboard…</numerusform>
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
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln byte</numerusform>
            <numerusform>%Ln bytes</numerusform>
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
    <message numerus="yes">
        <source>%Ln matching row(s)</source>
        <translation>
            <numerusform>%Ln matching row</numerusform>
            <numerusform>%Ln matching rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %n match(es); searching for more… Esc stops.</source>
        <translation>
            <numerusform>Showing the first match; searching for more… Esc stops.</numerusform>
            <numerusform>Showing the first %n matches; searching for more… Esc stops.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableBrowser</name>
    <message numerus="yes">
        <source>Search stopped: the %n match(es) found so far are shown; the next page searches on.</source>
        <translation>
            <numerusform>Search stopped: the match found so far is shown; the next page searches on.</numerusform>
            <numerusform>Search stopped: the %n matches found so far are shown; the next page searches on.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TablePickerDialog</name>
    <message numerus="yes">
        <source>%Ln table(s) and view(s). Row counts are the server&apos;s estimates.</source>
        <translation>
            <numerusform>%Ln table or view. Row counts are the server&apos;s estimates.</numerusform>
            <numerusform>%Ln tables and views. Row counts are the server&apos;s estimates.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableWriter</name>
    <message numerus="yes">
        <source>Saving %1 stopped: it matched %n rows, so the primary key no longer names one row (another client changed the table).</source>
        <translation>
            <numerusform>Saving %1 stopped: it matched %n row, so the primary key no longer names one row (another client changed the table).</numerusform>
            <numerusform>Saving %1 stopped: it matched %n rows, so the primary key no longer names one row (another client changed the table).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting stopped: the rows picked matched %n rows, so the primary key no longer names one row (another client changed the table). Nothing was deleted.</source>
        <translation>
            <numerusform>Deleting stopped: the rows picked matched %n row, so the primary key no longer names one row (another client changed the table). Nothing was deleted.</numerusform>
            <numerusform>Deleting stopped: the rows picked matched %n rows, so the primary key no longer names one row (another client changed the table). Nothing was deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ValueCheck</name>
    <message numerus="yes">
        <source>At most %n character(s).</source>
        <translation>
            <numerusform>At most %n character.</numerusform>
            <numerusform>At most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too long for %1: it takes at most %n character(s), this has %2.</source>
        <translation>
            <numerusform>Too long for %1: it takes at most %n character, this has %2.</numerusform>
            <numerusform>Too long for %1: it takes at most %n characters, this has %2.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ValueText</name>
    <message numerus="yes">
        <source>%1… (%Ln bytes)</source>
        <translation>
            <numerusform>%1… (%Ln byte)</numerusform>
            <numerusform>%1… (%Ln bytes)</numerusform>
        </translation>
    </message>
</context>
</TS>
