<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About pgdesk</source>
        <translation>Über pgdesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;pgdesk %1&lt;/b&gt;&lt;p&gt;A desktop editor for one PostgreSQL table, configured from a .env file.&lt;/p&gt;&lt;p&gt;Running on Qt %2 and libpq %3.&lt;/p&gt;</source>
        <translation>&lt;b&gt;pgdesk %1&lt;/b&gt;&lt;p&gt;Ein Desktop-Editor für eine PostgreSQL-Tabelle, eingerichtet über eine .env-Datei.&lt;/p&gt;&lt;p&gt;Läuft mit Qt %2 und libpq %3.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>CellFile</name>
    <message>
        <source>Replace the current cell with a file: its bytes in a bytea column, its UTF-8 text in a text column; Save writes it</source>
        <translation>Die aktuelle Zelle durch eine Datei ersetzen: ihre Bytes in einer bytea-Spalte, ihren UTF-8-Text in einer Textspalte; Speichern schreibt sie</translation>
    </message>
    <message>
        <source>Write the current cell to a file: a bytea&apos;s bytes, any other value as UTF-8 text</source>
        <translation>Die aktuelle Zelle in eine Datei schreiben: die Bytes eines bytea, jeden anderen Wert als UTF-8-Text</translation>
    </message>
    <message>
        <source>Load %1 from a file</source>
        <translation>%1 aus einer Datei laden</translation>
    </message>
    <message>
        <source>Load failed</source>
        <translation>Laden fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>It is not UTF-8 text, which a %1 column holds. A bytea column takes any file.</source>
        <translation>Sie ist kein UTF-8-Text, den eine Spalte vom Typ %1 aufnimmt. Eine bytea-Spalte nimmt jede Datei.</translation>
    </message>
    <message>
        <source>It holds a zero byte, which PostgreSQL text cannot hold. A bytea column takes any file.</source>
        <translation>Sie enthält ein Null-Byte, das PostgreSQL-Text nicht aufnehmen kann. Eine bytea-Spalte nimmt jede Datei.</translation>
    </message>
    <message>
        <source>%1 cannot go into %2. %3 The cell was not changed.</source>
        <translation>%1 passt nicht in %2. %3 Die Zelle wurde nicht geändert.</translation>
    </message>
    <message>
        <source>The row is no longer in the grid, so nothing was changed. Load the file on it again.</source>
        <translation>Die Zeile ist nicht mehr in der Tabelle, daher wurde nichts geändert. Laden Sie die Datei erneut in sie.</translation>
    </message>
    <message>
        <source>The cell cannot be edited now, so nothing was changed.</source>
        <translation>Die Zelle kann jetzt nicht bearbeitet werden, daher wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Loaded %1 from %2 into %3; Save writes it.</source>
        <translation>%1 aus %2 in %3 geladen; Speichern schreibt es.</translation>
    </message>
    <message>
        <source>%1 has no value yet (NULL or the default), so there is nothing to save.</source>
        <translation>%1 hat noch keinen Wert (NULL oder der Standardwert), daher gibt es nichts zu speichern.</translation>
    </message>
    <message>
        <source>%1 is NULL, so there is nothing to save.</source>
        <translation>%1 ist NULL, daher gibt es nichts zu speichern.</translation>
    </message>
    <message>
        <source>Save to file failed</source>
        <translation>Speichern in Datei fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 holds bytes typed in bytea&apos;s escape form, which only the server reads exactly. Save the row first, then save the cell to a file.</source>
        <translation>%1 enthält Bytes in der Escape-Form von bytea, die nur der Server genau liest. Speichern Sie zuerst die Zeile, dann die Zelle in eine Datei.</translation>
    </message>
    <message>
        <source>Save %1 to a file</source>
        <translation>%1 in eine Datei speichern</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Saved %1 of %2 to %3.</source>
        <translation>%1 von %2 in %3 gespeichert.</translation>
    </message>
    <message>
        <source>Load cell &amp;from file…</source>
        <translation>Zelle aus &amp;Datei laden…</translation>
    </message>
    <message>
        <source>Sa&amp;ve cell to file…</source>
        <translation>Zelle in Datei spe&amp;ichern…</translation>
    </message>
    <message>
        <source>%1 is not a regular file. The cell was not changed.</source>
        <translation>%1 ist keine normale Datei. Die Zelle wurde nicht geändert.</translation>
    </message>
    <message>
        <source>%1 is larger than %2, the most pgdesk loads into a cell. The cell was not changed.</source>
        <translation>%1 ist größer als %2, das Höchste, was pgdesk in eine Zelle lädt. Die Zelle wurde nicht geändert.</translation>
    </message>
    <message>
        <source>%1 holds hex the server would refuse: an odd number of digits, or a character that is not a hex digit between them. Correct the cell first.</source>
        <translation>%1 enthält Hex, das der Server ablehnen würde: eine ungerade Zahl von Ziffern oder ein Zeichen zwischen ihnen, das keine Hexziffer ist. Korrigieren Sie zuerst die Zelle.</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connect to PostgreSQL</source>
        <translation>Mit PostgreSQL verbinden</translation>
    </message>
    <message>
        <source>Rece&amp;nt:</source>
        <translation>&amp;Zuletzt:</translation>
    </message>
    <message>
        <source>Connections that worked before, most recent first. Choosing one fills in the fields; passwords are not kept here (only in the system keychain, when &quot;Remember password&quot; was ticked)</source>
        <translation>Verbindungen, die bereits funktioniert haben, die neueste zuerst. Eine Auswahl füllt die Felder aus; Passwörter werden hier nicht gespeichert (nur im System-Schlüsselbund, wenn „Passwort merken“ angehakt war)</translation>
    </message>
    <message>
        <source>Choose a recent connection</source>
        <translation>Eine zuletzt benutzte Verbindung wählen</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Vergessen</translation>
    </message>
    <message>
        <source>Remove the chosen connection from the recent list (and its password from the system keychain, if one is remembered)</source>
        <translation>Die gewählte Verbindung aus der Liste entfernen (und ihr Passwort aus dem System-Schlüsselbund, falls eines gespeichert ist)</translation>
    </message>
    <message>
        <source>&amp;URI:</source>
        <translation>&amp;URI:</translation>
    </message>
    <message>
        <source>Paste the postgres:// URI your hosting platform gives you (DATABASE_URL): it is split into the fields below. What the URI names wins over PG_* keys; they fill in what it leaves out.</source>
        <translation>Fügen Sie die postgres://-URI Ihrer Hosting-Plattform ein (DATABASE_URL): Sie wird auf die Felder unten verteilt. Was die URI angibt, hat Vorrang vor PG_*-Schlüsseln; diese ergänzen, was sie offenlässt.</translation>
    </message>
    <message>
        <source>paste a postgres://user:password@host:5432/database?sslmode=require URI to fill the fields</source>
        <translation>eine URI wie postgres://user:password@host:5432/database?sslmode=require einfügen, um die Felder auszufüllen</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>PG_HOST: the server&apos;s name or address; empty uses the local socket</source>
        <translation>PG_HOST: Name oder Adresse des Servers; leer nutzt den lokalen Socket</translation>
    </message>
    <message>
        <source>local socket</source>
        <translation>lokaler Socket</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>PG_PORT: the server&apos;s TCP port, usually 5432</source>
        <translation>PG_PORT: der TCP-Port des Servers, meist 5432</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>PG_USER: the role to log in as</source>
        <translation>PG_USER: die Rolle, mit der angemeldet wird</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>PG_PASSWORD: never written to disk by pgdesk</source>
        <translation>PG_PASSWORD: wird von pgdesk nie auf die Festplatte geschrieben</translation>
    </message>
    <message>
        <source>&amp;Remember password in the system keychain</source>
        <translation>Passwort im System-Schlüsselbund &amp;merken</translation>
    </message>
    <message>
        <source>Stores the password in the system keychain (Secret Service, KWallet, macOS Keychain or Windows Credential Manager) after connecting. Unticked, pgdesk forgets a remembered password. pgdesk never writes it to a file.</source>
        <translation>Legt das Passwort nach dem Verbinden im System-Schlüsselbund ab (Secret Service, KWallet, macOS-Schlüsselbund oder Windows-Anmeldeinformationsverwaltung). Nicht angehakt vergisst pgdesk ein gespeichertes Passwort. pgdesk schreibt es nie in eine Datei.</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Datenbank:</translation>
    </message>
    <message>
        <source>PG_DATABASE: the database holding the table</source>
        <translation>PG_DATABASE: die Datenbank, in der die Tabelle liegt</translation>
    </message>
    <message>
        <source>SSL mode:</source>
        <translation>SSL-Modus:</translation>
    </message>
    <message>
        <source>PG_SSLMODE: how the connection is encrypted and whether the server is verified</source>
        <translation>PG_SSLMODE: wie die Verbindung verschlüsselt wird und ob der Server geprüft wird</translation>
    </message>
    <message>
        <source>Root certificate:</source>
        <translation>Stammzertifikat:</translation>
    </message>
    <message>
        <source>PG_SSLROOTCERT: the CA certificate that signed the server&apos;s certificate (verify-ca, verify-full)</source>
        <translation>PG_SSLROOTCERT: das CA-Zertifikat, das das Serverzertifikat signiert hat (verify-ca, verify-full)</translation>
    </message>
    <message>
        <source>none: ~/.postgresql/root.crt if present, else the system&apos;s trusted CAs</source>
        <translation>keines: ~/.postgresql/root.crt, falls vorhanden, sonst die vertrauenswürdigen CAs des Systems</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the root certificate file</source>
        <translation>Stammzertifikat-Datei wählen</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>Client-Zertifikat:</translation>
    </message>
    <message>
        <source>PG_SSLCERT: the client certificate for servers whose pg_hba.conf says &quot;cert&quot;</source>
        <translation>PG_SSLCERT: das Client-Zertifikat für Server, deren pg_hba.conf „cert“ verlangt</translation>
    </message>
    <message>
        <source>none (libpq default ~/.postgresql/postgresql.crt)</source>
        <translation>keines (libpq-Vorgabe ~/.postgresql/postgresql.crt)</translation>
    </message>
    <message>
        <source>Choose the client certificate file</source>
        <translation>Client-Zertifikat-Datei wählen</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>Client-Schlüssel:</translation>
    </message>
    <message>
        <source>PG_SSLKEY: the private key of the client certificate; libpq wants it readable by you alone (chmod 600)</source>
        <translation>PG_SSLKEY: der private Schlüssel des Client-Zertifikats; libpq verlangt, dass nur Sie ihn lesen können (chmod 600)</translation>
    </message>
    <message>
        <source>none (libpq default ~/.postgresql/postgresql.key)</source>
        <translation>keiner (libpq-Vorgabe ~/.postgresql/postgresql.key)</translation>
    </message>
    <message>
        <source>Choose the client key file</source>
        <translation>Client-Schlüssel-Datei wählen</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Dienst:</translation>
    </message>
    <message>
        <source>PG_SERVICE or $PGSERVICE: a service of pg_service.conf; its values fill in what the fields above leave at their defaults</source>
        <translation>PG_SERVICE oder $PGSERVICE: ein Dienst aus pg_service.conf; seine Werte füllen aus, was die Felder oben auf ihren Vorgaben lassen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>Table:</source>
        <translation>Tabelle:</translation>
    </message>
    <message>
        <source>PG_TABLE: the table to open, optionally schema.table</source>
        <translation>PG_TABLE: die zu öffnende Tabelle, wahlweise schema.tabelle</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Testen</translation>
    </message>
    <message>
        <source>Connect once with these values and report the server version and SSL, without closing this dialog</source>
        <translation>Einmal mit diesen Werten verbinden und Serverversion und SSL melden, ohne diesen Dialog zu schließen</translation>
    </message>
    <message>
        <source>Save as .&amp;env…</source>
        <translation>Als .&amp;env speichern…</translation>
    </message>
    <message>
        <source>Write these values to a .env file (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE…) readable only by you; you are asked before the password is written</source>
        <translation>Diese Werte in eine .env-Datei schreiben (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE…), die nur Sie lesen können; vor dem Schreiben des Passworts wird nachgefragt</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>Ver&amp;binden</translation>
    </message>
    <message>
        <source>No .env file was found (looked for %1). Values come from the environment and defaults.</source>
        <translation>Keine .env-Datei gefunden (gesucht: %1). Die Werte stammen aus der Umgebung und den Vorgaben.</translation>
    </message>
    <message>
        <source>Values read from %1</source>
        <translation>Werte gelesen aus %1</translation>
    </message>
    <message>
        <source>The connection URI in %1 wins over PG_* keys for every part it names.</source>
        <translation>Die Verbindungs-URI in %1 hat für jeden Teil, den sie angibt, Vorrang vor PG_*-Schlüsseln.</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <source>The password will not be remembered.</source>
        <translation>Das Passwort wird nicht gespeichert.</translation>
    </message>
    <message>
        <source>from the system keychain</source>
        <translation>aus dem System-Schlüsselbund</translation>
    </message>
    <message>
        <source>from %1 (libpq reads it)</source>
        <translation>aus %1 (libpq liest es)</translation>
    </message>
    <message>
        <source>Not encrypted: passwords and rows cross the network in clear text.</source>
        <translation>Unverschlüsselt: Passwörter und Zeilen gehen im Klartext übers Netz.</translation>
    </message>
    <message>
        <source>Encrypted only if the server offers it; the server&apos;s identity is not checked.</source>
        <translation>Verschlüsselt nur, wenn der Server es anbietet; Server ungeprüft.</translation>
    </message>
    <message>
        <source>Encrypted, but the server&apos;s identity is not checked: use verify-full to be sure who you talk to.</source>
        <translation>Verschlüsselt, aber Server ungeprüft: verify-full prüft ihn.</translation>
    </message>
    <message>
        <source>Encrypted; the server&apos;s certificate must be signed by the root certificate below.</source>
        <translation>Verschlüsselt; Serverzertifikat vom Stammzertifikat unten signiert.</translation>
    </message>
    <message>
        <source>Encrypted; the certificate must be signed by the root certificate and match the host name.</source>
        <translation>Verschlüsselt; Zertifikat muss zu Stammzertifikat und Host passen.</translation>
    </message>
    <message>
        <source>pasted URI</source>
        <translation>eingefügte URI</translation>
    </message>
    <message>
        <source>recent connection</source>
        <translation>zuletzt benutzte Verbindung</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>SSL in use (%1)</source>
        <translation>SSL aktiv (%1)</translation>
    </message>
    <message>
        <source>SSL not in use</source>
        <translation>SSL nicht aktiv</translation>
    </message>
    <message>
        <source>Connected: PostgreSQL %1, %2.</source>
        <translation>Verbunden: PostgreSQL %1, %2.</translation>
    </message>
    <message>
        <source>The pasted URI cannot be used: %1.</source>
        <translation>Die eingefügte URI ist nicht verwendbar: %1.</translation>
    </message>
    <message>
        <source>The URI was split into the fields (%1).</source>
        <translation>Die URI wurde auf die Felder verteilt (%1).</translation>
    </message>
    <message>
        <source>Certificates and keys (*.crt *.pem *.key);;All files (*)</source>
        <translation>Zertifikate und Schlüssel (*.crt *.pem *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Root certificate</source>
        <translation>Stammzertifikat</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>Zertifikate (*.crt *.pem *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 was removed from the recent connections.</source>
        <translation>%1 wurde aus den zuletzt benutzten Verbindungen entfernt.</translation>
    </message>
    <message>
        <source>Save as .env</source>
        <translation>Als .env speichern</translation>
    </message>
    <message>
        <source>Environment files (.env *.env);;All files (*)</source>
        <translation>Umgebungsdateien (.env *.env);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>Datei ersetzen?</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
    <message>
        <source>Write the password?</source>
        <translation>Passwort schreiben?</translation>
    </message>
    <message>
        <source>Write the password into %1 as PG_PASSWORD?

The file will be readable only by you, but anyone who gets a copy of it can connect as %2. No leaves it out; pgdesk or your program will then need it from elsewhere (the keychain, ~/.pgpass or $PGPASSWORD).</source>
        <translation>Das Passwort als PG_PASSWORD in %1 schreiben?

Nur Sie können die Datei lesen, aber wer eine Kopie davon bekommt, kann sich als %2 verbinden. „Nein“ lässt es weg; pgdesk oder Ihr Programm braucht es dann von anderswo (Schlüsselbund, ~/.pgpass oder $PGPASSWORD).</translation>
    </message>
    <message>
        <source>this user</source>
        <translation>dieser Benutzer</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>%1 was not written: a .env file cannot hold the value of %2 exactly (&quot;${…}&quot; is expanded by python-dotenv, and a quoted value cannot end in a backslash).</source>
        <translation>%1 wurde nicht geschrieben: Eine .env-Datei kann den Wert von %2 nicht exakt aufnehmen („${…}“ wird von python-dotenv ersetzt, und ein Wert in Anführungszeichen darf nicht auf einen Backslash enden).</translation>
    </message>
    <message>
        <source>%1 could not be written: %2.</source>
        <translation>%1 konnte nicht geschrieben werden: %2.</translation>
    </message>
    <message>
        <source>Saved to %1 (readable only by you).</source>
        <translation>Gespeichert in %1 (nur für Sie lesbar).</translation>
    </message>
    <message>
        <source>Saved to %1 without the password (readable only by you).</source>
        <translation>Ohne Passwort gespeichert in %1 (nur für Sie lesbar).</translation>
    </message>
    <message>
        <source>Recent connections</source>
        <translation>Zuletzt benutzte Verbindungen</translation>
    </message>
    <message>
        <source>Forget recent connection</source>
        <translation>Zuletzt benutzte Verbindung vergessen</translation>
    </message>
    <message>
        <source>Connection URI</source>
        <translation>Verbindungs-URI</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Remember password</source>
        <translation>Passwort merken</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>SSL mode</source>
        <translation>SSL-Modus</translation>
    </message>
    <message>
        <source>Choose root certificate file</source>
        <translation>Stammzertifikat-Datei wählen</translation>
    </message>
    <message>
        <source>Choose client certificate file</source>
        <translation>Client-Zertifikat-Datei wählen</translation>
    </message>
    <message>
        <source>Choose client key file</source>
        <translation>Client-Schlüssel-Datei wählen</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Connection settings</source>
        <translation>Verbindungseinstellungen</translation>
    </message>
</context>
<context>
    <name>ConnectionWatcher</name>
    <message>
        <source>The server no longer serves this connection (process %1).</source>
        <translation>Der Server bedient diese Verbindung nicht mehr (Prozess %1).</translation>
    </message>
    <message>
        <source>The server did not answer within %1 s.</source>
        <translation>Der Server hat nicht innerhalb von %1 s geantwortet.</translation>
    </message>
</context>
<context>
    <name>CopyTransfer</name>
    <message>
        <source>The PostgreSQL driver does not give access to its connection, which COPY needs.</source>
        <translation>Der PostgreSQL-Treiber gibt keinen Zugriff auf seine Verbindung, den COPY braucht.</translation>
    </message>
    <message>
        <source>The connection is not ready for COPY: %1</source>
        <translation>Die Verbindung ist nicht bereit für COPY: %1</translation>
    </message>
    <message>
        <source>the server did not say why</source>
        <translation>der Server hat keinen Grund genannt</translation>
    </message>
</context>
<context>
    <name>CsvExporter</name>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>Export abgebrochen: Es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>No file was written.</source>
        <translation>Es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>%1 kann nicht geschrieben werden: %2.</translation>
    </message>
    <message>
        <source>The server refused the export: %1</source>
        <translation>Der Server hat den Export abgelehnt: %1</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2.</source>
        <translation>Schreiben von %1 fehlgeschlagen: %2.</translation>
    </message>
    <message>
        <source>The server stopped the export: %1</source>
        <translation>Der Server hat den Export abgebrochen: %1</translation>
    </message>
    <message>
        <source>Exported 1 row to %1.</source>
        <translation>1 Zeile nach %1 exportiert.</translation>
    </message>
    <message>
        <source>Exported %L1 rows to %2.</source>
        <translation>%L1 Zeilen nach %2 exportiert.</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>Line %1: column %2 of the header has no name.</source>
        <translation>Zeile %1: Spalte %2 der Kopfzeile hat keinen Namen.</translation>
    </message>
    <message>
        <source>Line %1: the header names the column %2, which pgdesk does not import.</source>
        <translation>Zeile %1: Die Kopfzeile nennt die Spalte %2, die pgdesk nicht importiert.</translation>
    </message>
    <message>
        <source>A CSV file starts with a line naming its columns: name, and optionally date (id is ignored). A file of names without such a line imports as text.</source>
        <translation>Eine CSV-Datei beginnt mit einer Zeile, die ihre Spalten nennt: name und wahlweise date (id wird ignoriert). Eine Datei mit Namen ohne eine solche Zeile wird als Text importiert.</translation>
    </message>
    <message>
        <source>Line %1: the header names the column %2 twice.</source>
        <translation>Zeile %1: Die Kopfzeile nennt die Spalte %2 zweimal.</translation>
    </message>
    <message>
        <source>Line %1: the header does not name the column name. A CSV file starts with a line naming its columns: name, and optionally date (id is ignored). A file of names without such a line imports as text.</source>
        <translation>Zeile %1: Die Kopfzeile nennt die Spalte name nicht. Eine CSV-Datei beginnt mit einer Zeile, die ihre Spalten nennt: name und wahlweise date (id wird ignoriert). Eine Datei mit Namen ohne eine solche Zeile wird als Text importiert.</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>The server refused the import: %1</source>
        <translation>Der Server hat den Import abgelehnt: %1</translation>
    </message>
    <message>
        <source>Import cancelled: nothing was written.</source>
        <translation>Import abgebrochen: Es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>%1 kann nicht gelesen werden: %2.</translation>
    </message>
    <message>
        <source>Reading %1 failed: %2.</source>
        <translation>Lesen von %1 fehlgeschlagen: %2.</translation>
    </message>
    <message>
        <source>The file is empty. A CSV file starts with a line naming its columns: name, and optionally date.</source>
        <translation>Die Datei ist leer. Eine CSV-Datei beginnt mit einer Zeile, die ihre Spalten nennt: name und wahlweise date.</translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation>Die Verbindung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Saving the import failed: %1</source>
        <translation>Speichern des Imports fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Imported 1 row from %1.</source>
        <translation>1 Zeile aus %1 importiert.</translation>
    </message>
    <message>
        <source>Imported %L1 rows from %2.</source>
        <translation>%L1 Zeilen aus %2 importiert.</translation>
    </message>
    <message>
        <source>Line %1 has %2 fields, but %3 columns were mapped. Open the file again to map its columns.</source>
        <translation>Zeile %1 hat %2 Felder, aber %3 Spalten wurden zugeordnet. Öffnen Sie die Datei erneut, um ihre Spalten zuzuordnen.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Die Datei ist leer.</translation>
    </message>
    <message>
        <source>Line %1: to skip rows already in the table, the file needs the column %2.</source>
        <translation>Zeile %1: Um Zeilen zu überspringen, die schon in der Tabelle stehen, braucht die Datei die Spalte %2.</translation>
    </message>
    <message>
        <source>Skipped 1 row whose %1 was already in the table.</source>
        <translation>1 Zeile übersprungen, deren %1 schon in der Tabelle stand.</translation>
    </message>
    <message>
        <source>Skipped %L1 rows whose %2 was already in the table.</source>
        <translation>%L1 Zeilen übersprungen, deren %2 schon in der Tabelle stand.</translation>
    </message>
</context>
<context>
    <name>DropTableDialog</name>
    <message>
        <source>Drop table</source>
        <translation>Tabelle löschen</translation>
    </message>
    <message>
        <source>Type the table&apos;s name to confirm</source>
        <translation>Zur Bestätigung den Namen der Tabelle eingeben</translation>
    </message>
    <message>
        <source>Drop the table &lt;b&gt;%1&lt;/b&gt; and its %2? This deletes the table itself and cannot be undone.</source>
        <translation>Die Tabelle &lt;b&gt;%1&lt;/b&gt; und ihre %2 löschen? Dies löscht die Tabelle selbst und kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Type &lt;b&gt;%1&lt;/b&gt; to confirm:</source>
        <translation>Zur Bestätigung &lt;b&gt;%1&lt;/b&gt; eingeben:</translation>
    </message>
    <message>
        <source>That is not the table&apos;s name. Type %1 exactly to drop it, or press Esc to keep it.</source>
        <translation>Das ist nicht der Name der Tabelle. Geben Sie genau %1 ein, um sie zu löschen, oder drücken Sie Esc, um sie zu behalten.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln Zeile</numerusform>
            <numerusform>%Ln Zeilen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Your %Ln unsaved change(s) will be lost too.</source>
        <translation>
            <numerusform>Auch Ihre %Ln ungespeicherte Änderung geht verloren.</numerusform>
            <numerusform>Auch Ihre %Ln ungespeicherten Änderungen gehen verloren.</numerusform>
        </translation>
    </message>
    <message>
        <source>Table name to confirm</source>
        <translation>Tabellenname zur Bestätigung</translation>
    </message>
</context>
<context>
    <name>GridClipboard</name>
    <message numerus="yes">
        <source>Copied %Ln cell(s).</source>
        <translation>
            <numerusform>%Ln Zelle kopiert.</numerusform>
            <numerusform>%Ln Zellen kopiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) with the header line.</source>
        <translation>
            <numerusform>%Ln Zeile mit Kopfzeile kopiert.</numerusform>
            <numerusform>%Ln Zeilen mit Kopfzeile kopiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as CSV.</source>
        <translation>
            <numerusform>%Ln Zeile als CSV kopiert.</numerusform>
            <numerusform>%Ln Zeilen als CSV kopiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as JSON.</source>
        <translation>
            <numerusform>%Ln Zeile als JSON kopiert.</numerusform>
            <numerusform>%Ln Zeilen als JSON kopiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as SQL INSERT statement(s).</source>
        <translation>
            <numerusform>%Ln Zeile als SQL-INSERT-Anweisung kopiert.</numerusform>
            <numerusform>%Ln Zeilen als SQL-INSERT-Anweisungen kopiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as a Markdown table.</source>
        <translation>
            <numerusform>%Ln Zeile als Markdown-Tabelle kopiert.</numerusform>
            <numerusform>%Ln Zeilen als Markdown-Tabelle kopiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message numerus="yes">
        <source>Pasted %Ln row(s) of CSV.</source>
        <translation>
            <numerusform>%Ln Zeile CSV eingefügt.</numerusform>
            <numerusform>%Ln Zeilen CSV eingefügt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Paste as new rows</source>
        <translation>Als neue Zeilen einfügen</translation>
    </message>
    <message numerus="yes">
        <source>Pasted %Ln new row(s); Save writes them.</source>
        <translation>
            <numerusform>%Ln neue Zeile eingefügt; Speichern schreibt sie.</numerusform>
            <numerusform>%Ln neue Zeilen eingefügt; Speichern schreibt sie.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s).</source>
        <translation>
            <numerusform>%Ln Zeile kopiert.</numerusform>
            <numerusform>%Ln Zeilen kopiert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportFileReader</name>
    <message>
        <source>This build of Qt cannot read Windows-1252. Choose Latin-1 instead.</source>
        <translation>Dieser Qt-Build kann Windows-1252 nicht lesen. Wählen Sie stattdessen Latin-1.</translation>
    </message>
    <message>
        <source>1 field</source>
        <translation>1 Feld</translation>
    </message>
    <message>
        <source>%1 fields</source>
        <translation>%1 Felder</translation>
    </message>
    <message>
        <source>Line %1 has %2, but the first line has %3.</source>
        <translation>Zeile %1 hat %2, aber die erste Zeile hat %3.</translation>
    </message>
    <message>
        <source>Line %1 has %2, but the header names %3 (%4).</source>
        <translation>Zeile %1 hat %2, aber die Kopfzeile nennt %3 (%4).</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>ein Komma</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>ein Semikolon</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>einen Tabulator</translation>
    </message>
    <message>
        <source>A field that contains a %1 must be in quotes.</source>
        <translation>Ein Feld, das %1 enthält, muss in Anführungszeichen stehen.</translation>
    </message>
</context>
<context>
    <name>ImportOptions</name>
    <message>
        <source>The delimiter must be one character other than a quote or a line break.</source>
        <translation>Das Trennzeichen muss ein einzelnes Zeichen sein, aber kein Anführungszeichen und kein Zeilenumbruch.</translation>
    </message>
    <message>
        <source>The table has no column a file can fill.</source>
        <translation>Die Tabelle hat keine Spalte, die eine Datei füllen kann.</translation>
    </message>
    <message>
        <source>No column of the file goes to a column of the table: choose one.</source>
        <translation>Keine Spalte der Datei geht in eine Spalte der Tabelle: Wählen Sie eine.</translation>
    </message>
    <message>
        <source>Two columns of the file go to %1: choose one.</source>
        <translation>Zwei Spalten der Datei gehen in %1: Wählen Sie eine.</translation>
    </message>
    <message>
        <source>Rows of this table cannot be matched with a file&apos;s: leave “skip” off.</source>
        <translation>Zeilen dieser Tabelle lassen sich nicht mit denen einer Datei abgleichen: Lassen Sie „Überspringen“ aus.</translation>
    </message>
    <message>
        <source>To skip rows already in the table, a column of the file must go to %1.</source>
        <translation>Um Zeilen zu überspringen, die schon in der Tabelle stehen, muss eine Spalte der Datei in %1 gehen.</translation>
    </message>
</context>
<context>
    <name>ImportPreview</name>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>%1 kann nicht gelesen werden: %2.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Die Datei ist leer.</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Comma ( , )</source>
        <translation>Komma ( , )</translation>
    </message>
    <message>
        <source>Semicolon ( ; )</source>
        <translation>Semikolon ( ; )</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tabulator</translation>
    </message>
    <message>
        <source>Other:</source>
        <translation>Anderes:</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>Latin-1 (ISO 8859-1)</source>
        <translation>Latin-1 (ISO 8859-1)</translation>
    </message>
    <message>
        <source>Windows-1252</source>
        <translation>Windows-1252</translation>
    </message>
    <message>
        <source>First line is a header (names the columns, not imported)</source>
        <translation>Erste Zeile ist eine Kopfzeile (nennt die Spalten, wird nicht importiert)</translation>
    </message>
    <message>
        <source>&amp;Delimiter:</source>
        <translation>&amp;Trennzeichen:</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>&amp;Kodierung:</translation>
    </message>
    <message>
        <source>Columns of the file</source>
        <translation>Spalten der Datei</translation>
    </message>
    <message>
        <source>The first rows as they will land in the table</source>
        <translation>Die ersten Zeilen so, wie sie in der Tabelle ankommen werden</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>First rows as they will land:</source>
        <translation>Erste Zeilen so, wie sie ankommen werden:</translation>
    </message>
    <message>
        <source>Column %1, “%2”:</source>
        <translation>Spalte %1, „%2“:</translation>
    </message>
    <message>
        <source>Column %1:</source>
        <translation>Spalte %1:</translation>
    </message>
    <message>
        <source>ignore</source>
        <translation>ignorieren</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Already in the table: skipped</source>
        <translation>Schon in der Tabelle: wird übersprungen</translation>
    </message>
    <message>
        <source>Checking the rows shown against the table…</source>
        <translation>Gleiche die gezeigten Zeilen mit der Tabelle ab…</translation>
    </message>
    <message>
        <source>The rows shown could not be checked against the table: %1</source>
        <translation>Die gezeigten Zeilen konnten nicht mit der Tabelle abgeglichen werden: %1</translation>
    </message>
    <message>
        <source>1 of the %1 rows shown is there already (struck through).</source>
        <translation>1 der %1 gezeigten Zeilen ist schon vorhanden (durchgestrichen).</translation>
    </message>
    <message>
        <source>%1 of the %2 rows shown are there already (struck through).</source>
        <translation>%1 der %2 gezeigten Zeilen sind schon vorhanden (durchgestrichen).</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Lese die Datei…</translation>
    </message>
    <message>
        <source>Nothing will be written.</source>
        <translation>Es wird nichts geschrieben.</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 Zeile</translation>
    </message>
    <message>
        <source>%L1 rows</source>
        <translation>%L1 Zeilen</translation>
    </message>
    <message>
        <source>1 row will be written.</source>
        <translation>1 Zeile wird geschrieben.</translation>
    </message>
    <message>
        <source>%L1 rows will be written.</source>
        <translation>%L1 Zeilen werden geschrieben.</translation>
    </message>
    <message>
        <source>About %L1 rows (counting…)</source>
        <translation>Etwa %L1 Zeilen (zähle…)</translation>
    </message>
    <message>
        <source>Import rows – %1</source>
        <translation>Zeilen importieren – %1</translation>
    </message>
    <message>
        <source>None: one %1 per line</source>
        <translation>Keines: ein Wert für %1 pro Zeile</translation>
    </message>
    <message>
        <source>&amp;Skip rows whose %1 already exists in the table</source>
        <translation>Zeilen über&amp;springen, deren %1 schon in der Tabelle steht</translation>
    </message>
    <message>
        <source>Compared as the table&apos;s types; text exactly: case, spaces and accents count. An empty value (NULL) counts as existing when the table has a row with NULL there. Rows repeated inside the file are all written.</source>
        <translation>Verglichen wird nach den Typen der Tabelle, Text genau: Groß- und Kleinschreibung, Leerzeichen und Akzente zählen. Ein leerer Wert (NULL) gilt als vorhanden, wenn die Tabelle eine Zeile mit NULL an dieser Stelle hat. Zeilen, die sich in der Datei wiederholen, werden alle geschrieben.</translation>
    </message>
    <message>
        <source>The server numbers new rows: a file&apos;s %1 is never imported.</source>
        <translation>Der Server nummeriert neue Zeilen: %1 aus einer Datei wird nie importiert.</translation>
    </message>
    <message>
        <source>The file has %1. Those whose %2 is already in the table will be skipped; the import says how many.</source>
        <translation>Die Datei hat %1. Die, deren %2 schon in der Tabelle steht, werden übersprungen; der Import sagt, wie viele.</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>L&amp;anguage</source>
        <translation>S&amp;prache</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>The language changes when pgdesk starts again.</source>
        <translation>Die Sprache wechselt beim nächsten Start von pgdesk.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>C&amp;opy as</source>
        <translation>Kopieren &amp;als</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>&amp;Tabelle</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <source>Change the connection</source>
        <translation>Die Verbindung wechseln</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Add row</source>
        <translation>Zeile &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Add a row; the server fills in id and date when it is saved</source>
        <translation>Eine Zeile hinzufügen; der Server trägt id und date beim Speichern ein</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Write all pending changes in one transaction</source>
        <translation>Alle ausstehenden Änderungen in einer Transaktion schreiben</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>Discard chan&amp;ges</source>
        <translation>Änderungen &amp;verwerfen</translation>
    </message>
    <message>
        <source>Throw away all pending changes</source>
        <translation>Alle ausstehenden Änderungen verwerfen</translation>
    </message>
    <message>
        <source>&amp;Delete rows</source>
        <translation>Zeilen &amp;löschen</translation>
    </message>
    <message>
        <source>Mark the selected rows for deletion; Save deletes them from the database, Undo keeps them</source>
        <translation>Die ausgewählten Zeilen zum Löschen markieren; Speichern löscht sie aus der Datenbank, Rückgängig behält sie</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>Set to &amp;NULL</source>
        <translation>Auf &amp;NULL setzen</translation>
    </message>
    <message>
        <source>Set the selected cells to NULL (not the empty string)</source>
        <translation>Die ausgewählten Zellen auf NULL setzen (nicht auf die leere Zeichenkette)</translation>
    </message>
    <message>
        <source>Shift+Del</source>
        <translation>Shift+Del</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>Undo the last change that is not saved yet</source>
        <translation>Die letzte noch nicht gespeicherte Änderung rückgängig machen</translation>
    </message>
    <message>
        <source>Ctrl+Z</source>
        <translation>Ctrl+Z</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Redo the change that was undone</source>
        <translation>Die rückgängig gemachte Änderung wiederherstellen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation>Ctrl+Shift+Z</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copy the selected cells as tab-separated text</source>
        <translation>Die ausgewählten Zellen als tabulatorgetrennten Text kopieren</translation>
    </message>
    <message>
        <source>Ctrl+C</source>
        <translation>Ctrl+C</translation>
    </message>
    <message>
        <source>Copy with &amp;header</source>
        <translation>Mit Kop&amp;fzeile kopieren</translation>
    </message>
    <message>
        <source>Copy the selected cells as tab-separated text under a line of column names</source>
        <translation>Die ausgewählten Zellen als tabulatorgetrennten Text unter einer Zeile mit Spaltennamen kopieren</translation>
    </message>
    <message>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <source>&amp;CSV</source>
        <translation>&amp;CSV</translation>
    </message>
    <message>
        <source>Copy the selected cells as CSV with a header line; NULL is an empty field, the empty string &quot;&quot;</source>
        <translation>Die ausgewählten Zellen als CSV mit Kopfzeile kopieren; NULL ist ein leeres Feld, die leere Zeichenkette &quot;&quot;</translation>
    </message>
    <message>
        <source>&amp;JSON</source>
        <translation>&amp;JSON</translation>
    </message>
    <message>
        <source>Copy the selected cells as a JSON array with one object per row; NULL is null</source>
        <translation>Die ausgewählten Zellen als JSON-Array mit einem Objekt pro Zeile kopieren; NULL ist null</translation>
    </message>
    <message>
        <source>&amp;SQL INSERT</source>
        <translation>&amp;SQL INSERT</translation>
    </message>
    <message>
        <source>Copy the selected cells as one INSERT statement per row</source>
        <translation>Die ausgewählten Zellen als eine INSERT-Anweisung pro Zeile kopieren</translation>
    </message>
    <message>
        <source>&amp;Markdown table</source>
        <translation>&amp;Markdown-Tabelle</translation>
    </message>
    <message>
        <source>Copy the selected cells as a Markdown table; NULL is *NULL*</source>
        <translation>Die ausgewählten Zellen als Markdown-Tabelle kopieren; NULL ist *NULL*</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Einfügen</translation>
    </message>
    <message>
        <source>Paste tab-separated text or CSV into the cells from the current one on</source>
        <translation>Tabulatorgetrennten Text oder CSV ab der aktuellen Zelle in die Zellen einfügen</translation>
    </message>
    <message>
        <source>Ctrl+V</source>
        <translation>Ctrl+V</translation>
    </message>
    <message>
        <source>Paste as ne&amp;w rows</source>
        <translation>Als neue &amp;Zeilen einfügen</translation>
    </message>
    <message>
        <source>Paste each line as the name of a new row</source>
        <translation>Jede Textzeile als Namen einer neuen Zeile einfügen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+V</source>
        <translation>Ctrl+Shift+V</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Read the rows from the server again; pending changes are kept</source>
        <translation>Die Zeilen erneut vom Server lesen; ausstehende Änderungen bleiben erhalten</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>F&amp;ind…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Filter rows by name</source>
        <translation>Zeilen nach Namen filtern</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Exact match</source>
        <translation>E&amp;xakte Übereinstimmung</translation>
    </message>
    <message>
        <source>Match the whole name exactly, as the tutorial&apos;s WHERE name = … does, instead of a case-insensitive substring</source>
        <translation>Den ganzen Namen exakt vergleichen, wie WHERE name = … im Tutorial, statt nach einer Teilzeichenkette ohne Beachtung der Groß-/Kleinschreibung zu suchen</translation>
    </message>
    <message>
        <source>&amp;Create table</source>
        <translation>Tabelle &amp;anlegen</translation>
    </message>
    <message>
        <source>Create the table with the tutorial&apos;s CREATE TABLE</source>
        <translation>Die Tabelle mit dem CREATE TABLE des Tutorials anlegen</translation>
    </message>
    <message>
        <source>Dro&amp;p table…</source>
        <translation>Tabelle &amp;löschen…</translation>
    </message>
    <message>
        <source>Delete the table and all its rows (asks first)</source>
        <translation>Die Tabelle mit allen Zeilen löschen (fragt vorher nach)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>&amp;Tastenkürzel…</translation>
    </message>
    <message>
        <source>Lists every command that has keys, and its keys</source>
        <translation>Listet jeden Befehl mit Tastenkürzel und seine Tasten auf</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>&amp;About pgdesk</source>
        <translation>Ü&amp;ber pgdesk</translation>
    </message>
    <message>
        <source>&amp;First rows</source>
        <translation>&amp;Erste Zeilen</translation>
    </message>
    <message>
        <source>Show the first rows of the table</source>
        <translation>Die ersten Zeilen der Tabelle zeigen</translation>
    </message>
    <message>
        <source>Ctrl+Home</source>
        <translation>Ctrl+Home</translation>
    </message>
    <message>
        <source>&amp;Previous rows</source>
        <translation>&amp;Vorherige Zeilen</translation>
    </message>
    <message>
        <source>Show the rows before these</source>
        <translation>Die Zeilen vor diesen zeigen</translation>
    </message>
    <message>
        <source>Ctrl+PgUp</source>
        <translation>Ctrl+PgUp</translation>
    </message>
    <message>
        <source>&amp;Next rows</source>
        <translation>&amp;Nächste Zeilen</translation>
    </message>
    <message>
        <source>Show the rows after these</source>
        <translation>Die Zeilen nach diesen zeigen</translation>
    </message>
    <message>
        <source>Ctrl+PgDown</source>
        <translation>Ctrl+PgDown</translation>
    </message>
    <message>
        <source>&amp;Last rows</source>
        <translation>&amp;Letzte Zeilen</translation>
    </message>
    <message>
        <source>Show the last rows of the table</source>
        <translation>Die letzten Zeilen der Tabelle zeigen</translation>
    </message>
    <message>
        <source>Ctrl+End</source>
        <translation>Ctrl+End</translation>
    </message>
    <message>
        <source>&amp;Cancel query</source>
        <translation>Abfrage a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Stop the query the server is running; the rows shown stay</source>
        <translation>Die Abfrage, die der Server ausführt, abbrechen; die gezeigten Zeilen bleiben</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>C&amp;ount rows</source>
        <translation>Zeilen &amp;zählen</translation>
    </message>
    <message>
        <source>Count the rows exactly (matching the filter, if any) without blocking the window</source>
        <translation>Die Zeilen exakt zählen (die zum Filter passenden, falls einer gesetzt ist), ohne das Fenster zu blockieren</translation>
    </message>
    <message>
        <source>Create &amp;search index…</source>
        <translation>&amp;Suchindex anlegen…</translation>
    </message>
    <message>
        <source>Create a pg_trgm index so that searching by name stays fast on large tables</source>
        <translation>Einen pg_trgm-Index anlegen, damit die Suche nach Namen auch bei großen Tabellen schnell bleibt</translation>
    </message>
    <message>
        <source>Delete &amp;immediately</source>
        <translation>S&amp;ofort löschen</translation>
    </message>
    <message>
        <source>Delete rows in the database at once (after asking) instead of marking them for the next Save</source>
        <translation>Zeilen sofort in der Datenbank löschen (nach Rückfrage), statt sie für das nächste Speichern zu markieren</translation>
    </message>
    <message>
        <source>Li&amp;ve updates</source>
        <translation>Live-Akt&amp;ualisierung</translation>
    </message>
    <message>
        <source>Show other clients&apos; inserts, updates and deletes without pressing Refresh</source>
        <translation>Einfügungen, Änderungen und Löschungen anderer Clients zeigen, ohne Aktualisieren zu drücken</translation>
    </message>
    <message>
        <source>Install change &amp;trigger…</source>
        <translation>Änderungs-&amp;Trigger installieren…</translation>
    </message>
    <message>
        <source>Let the table tell pgdesk about every change at once, instead of pgdesk asking every 1.5 seconds</source>
        <translation>Die Tabelle meldet pgdesk jede Änderung sofort, statt dass pgdesk alle 1,5 Sekunden nachfragt</translation>
    </message>
    <message>
        <source>Reco&amp;nnect now</source>
        <translation>&amp;Jetzt neu verbinden</translation>
    </message>
    <message>
        <source>Try to reach the server again now instead of waiting for the next attempt</source>
        <translation>Den Server jetzt erneut zu erreichen versuchen, statt auf den nächsten Versuch zu warten</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>&amp;Export to CSV…</source>
        <translation>Als CSV e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Write the rows (matching the filter, if any) to a CSV file</source>
        <translation>Die Zeilen (die zum Filter passenden, falls einer gesetzt ist) in eine CSV-Datei schreiben</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Zähle…</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Drop table</source>
        <translation>Tabelle löschen</translation>
    </message>
    <message>
        <source>Count failed</source>
        <translation>Zählen fehlgeschlagen</translation>
    </message>
    <message>
        <source>Nothing was counted.</source>
        <translation>Es wurde nichts gezählt.</translation>
    </message>
    <message>
        <source>%1 — %2 — pgdesk</source>
        <translation>%1 — %2 — pgdesk</translation>
    </message>
    <message>
        <source>The table %1 does not exist.</source>
        <translation>Die Tabelle %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The table %1 could not be read.</source>
        <translation>Die Tabelle %1 konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Read-only: %1</source>
        <translation>Nur lesen: %1</translation>
    </message>
    <message>
        <source>Connected again.</source>
        <translation>Wieder verbunden.</translation>
    </message>
    <message>
        <source>a read-only replica cannot LISTEN for notifications</source>
        <translation>ein schreibgeschütztes Replikat kann nicht auf Benachrichtigungen hören (LISTEN)</translation>
    </message>
    <message>
        <source>a connection pooler sits between pgdesk and the server, so notifications cannot reach pgdesk</source>
        <translation>ein Verbindungspooler sitzt zwischen pgdesk und dem Server, daher erreichen Benachrichtigungen pgdesk nicht</translation>
    </message>
    <message>
        <source>Trigger not installed</source>
        <translation>Trigger nicht installiert</translation>
    </message>
    <message>
        <source>The trigger was not installed.</source>
        <translation>Der Trigger wurde nicht installiert.</translation>
    </message>
    <message>
        <source>Install change trigger</source>
        <translation>Änderungs-Trigger installieren</translation>
    </message>
    <message>
        <source>Install a statement trigger on %1 so that every insert, update and delete, from any client, notifies pgdesk at once?

It creates the function pgdesk_notify_change() and the trigger pgdesk_notify_change on the table. Each writing statement then sends one notification, however many rows it touches. Drop the trigger to remove it.</source>
        <translation>Einen Anweisungs-Trigger auf %1 installieren, damit jede Einfügung, Änderung und Löschung, von jedem Client, pgdesk sofort benachrichtigt?

Er legt die Funktion pgdesk_notify_change() und den Trigger pgdesk_notify_change auf der Tabelle an. Jede schreibende Anweisung sendet dann eine Benachrichtigung, gleich wie viele Zeilen sie betrifft. Löschen Sie den Trigger, um ihn zu entfernen.</translation>
    </message>
    <message>
        <source>Installing the change trigger on %1…</source>
        <translation>Installiere den Änderungs-Trigger auf %1…</translation>
    </message>
    <message>
        <source>The trigger was not installed: %1</source>
        <translation>Der Trigger wurde nicht installiert: %1</translation>
    </message>
    <message>
        <source>Drop failed</source>
        <translation>Löschen fehlgeschlagen</translation>
    </message>
    <message>
        <source>The table was not dropped.</source>
        <translation>Die Tabelle wurde nicht gelöscht.</translation>
    </message>
    <message>
        <source>Counting the rows of %1…</source>
        <translation>Zähle die Zeilen von %1…</translation>
    </message>
    <message>
        <source>Dropping %1…</source>
        <translation>Lösche %1…</translation>
    </message>
    <message>
        <source>The table was not dropped: %1</source>
        <translation>Die Tabelle wurde nicht gelöscht: %1</translation>
    </message>
    <message>
        <source>The table %1 was dropped.</source>
        <translation>Die Tabelle %1 wurde gelöscht.</translation>
    </message>
    <message>
        <source>Table not created</source>
        <translation>Tabelle nicht angelegt</translation>
    </message>
    <message>
        <source>The table was not created.</source>
        <translation>Die Tabelle wurde nicht angelegt.</translation>
    </message>
    <message>
        <source>Creating %1…</source>
        <translation>Lege %1 an…</translation>
    </message>
    <message>
        <source>Create table failed</source>
        <translation>Anlegen der Tabelle fehlgeschlagen</translation>
    </message>
    <message>
        <source>Still waiting for the server: press Esc to cancel, then close.</source>
        <translation>Warte noch auf den Server: Esc bricht ab, dann schließen.</translation>
    </message>
    <message>
        <source>Save them before closing?</source>
        <translation>Vor dem Schließen speichern?</translation>
    </message>
    <message>
        <source>Save them before changing the connection?</source>
        <translation>Vor dem Wechsel der Verbindung speichern?</translation>
    </message>
    <message>
        <source>Table rows</source>
        <translation>Tabellenzeilen</translation>
    </message>
    <message>
        <source>One row per line. Typing or F2 edits the current cell; Ctrl+S saves, Ctrl+N adds a row, Delete marks rows for deletion.</source>
        <translation>Jede Zeile des Rasters ist eine Zeile der Tabelle. Tippen oder F2 bearbeitet die aktuelle Zelle; Strg+S speichert, Strg+N fügt eine Zeile hinzu, Entf markiert Zeilen zum Löschen.</translation>
    </message>
    <message>
        <source>Runs the step this page suggests</source>
        <translation>Führt den Schritt aus, den diese Seite vorschlägt</translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation>Statusleiste</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Backspace</source>
        <translation>Ctrl+Shift+Backspace</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Del</source>
        <translation>Ctrl+Shift+Del</translation>
    </message>
    <message>
        <source>&amp;Import rows…</source>
        <translation>Zeilen &amp;importieren…</translation>
    </message>
    <message>
        <source>Add rows from a CSV file or a text file of one value per line, in one transaction, after a preview</source>
        <translation>Zeilen aus einer CSV-Datei oder einer Textdatei mit einem Wert pro Zeile hinzufügen, in einer Transaktion, nach einer Vorschau</translation>
    </message>
    <message>
        <source>Close this window; other tables&apos; windows stay open</source>
        <translation>Dieses Fenster schließen; die Fenster anderer Tabellen bleiben offen</translation>
    </message>
    <message>
        <source>Ctrl+W</source>
        <translation>Ctrl+W</translation>
    </message>
    <message>
        <source>Quit pgdesk: close every window, asking about each one&apos;s unsaved changes</source>
        <translation>pgdesk beenden: jedes Fenster schließen, bei ungespeicherten Änderungen jeweils nachfragen</translation>
    </message>
    <message>
        <source>Close &amp;window</source>
        <translation>Fenster &amp;schließen</translation>
    </message>
    <message>
        <source>Still connecting or opening a table: close the window once that has finished.</source>
        <translation>Verbindung wird noch aufgebaut oder eine Tabelle geöffnet: Schließen Sie das Fenster, wenn das fertig ist.</translation>
    </message>
    <message>
        <source>The table %1 could not be read:
%2</source>
        <translation>Die Tabelle %1 konnte nicht gelesen werden:
%2</translation>
    </message>
</context>
<context>
    <name>MatchingRows</name>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
</context>
<context>
    <name>MatchingSelection</name>
    <message>
        <source>Select every row in view; press again to select all rows that match the filter (%1)</source>
        <translation>Alle angezeigten Zeilen auswählen; erneut drücken, um alle Zeilen auszuwählen, die zum Filter passen (%1)</translation>
    </message>
    <message>
        <source>All matching rows are selected: Delete, Copy and Export act on every one of them.</source>
        <translation>Alle passenden Zeilen sind ausgewählt: Löschen, Kopieren und Exportieren wirken auf jede von ihnen.</translation>
    </message>
    <message numerus="yes">
        <source>all %Ln row(s) of the table</source>
        <translation>
            <numerusform>die %Ln Zeile der Tabelle</numerusform>
            <numerusform>alle %Ln Zeilen der Tabelle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %Ln row(s) that match the filter</source>
        <translation>
            <numerusform>die %Ln Zeile, die zum Filter passt</numerusform>
            <numerusform>alle %Ln Zeilen, die zum Filter passen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %Ln row(s) in view are selected.</source>
        <translation>
            <numerusform>Die %Ln angezeigte Zeile ist ausgewählt.</numerusform>
            <numerusform>Alle %Ln angezeigten Zeilen sind ausgewählt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select all matching rows</source>
        <translation>Alle passenden Zeilen auswählen</translation>
    </message>
    <message numerus="yes">
        <source>Select all %Ln matching row(s)</source>
        <translation>
            <numerusform>Die %Ln passende Zeile auswählen</numerusform>
            <numerusform>Alle %Ln passenden Zeilen auswählen</numerusform>
        </translation>
    </message>
    <message>
        <source>Select all matching rows (about %L1)</source>
        <translation>Alle passenden Zeilen auswählen (etwa %L1)</translation>
    </message>
    <message>
        <source>Delete, Copy and Export then act on every matching row, also those not loaded; each asks first and names the exact count (%1 again)</source>
        <translation>Löschen, Kopieren und Exportieren wirken dann auf jede passende Zeile, auch auf nicht geladene; jede Aktion fragt vorher und nennt die genaue Anzahl (erneut %1)</translation>
    </message>
    <message>
        <source>All matching rows are selected.</source>
        <translation>Alle passenden Zeilen sind ausgewählt.</translation>
    </message>
    <message numerus="yes">
        <source>All %Ln matching row(s) are selected.</source>
        <translation>
            <numerusform>Die %Ln passende Zeile ist ausgewählt.</numerusform>
            <numerusform>Alle %Ln passenden Zeilen sind ausgewählt.</numerusform>
        </translation>
    </message>
    <message>
        <source>All matching rows (about %L1) are selected.</source>
        <translation>Alle passenden Zeilen (etwa %L1) sind ausgewählt.</translation>
    </message>
    <message>
        <source>Delete, Copy and Export act on every one of them.</source>
        <translation>Löschen, Kopieren und Exportieren wirken auf jede von ihnen.</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Auswahl aufheben</translation>
    </message>
    <message>
        <source>Select only the rows you pick in the grid again</source>
        <translation>Wieder nur die Zeilen auswählen, die Sie im Raster wählen</translation>
    </message>
    <message>
        <source>Counting the matching rows…</source>
        <translation>Passende Zeilen werden gezählt…</translation>
    </message>
    <message>
        <source>Counting the matching rows failed: %1</source>
        <translation>Das Zählen der passenden Zeilen ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>Löschen fehlgeschlagen</translation>
    </message>
    <message>
        <source>Nothing was deleted.</source>
        <translation>Es wurde nichts gelöscht.</translation>
    </message>
    <message>
        <source>Deleting all matching rows needs them saved or discarded first.</source>
        <translation>Vor dem Löschen aller passenden Zeilen müssen sie gespeichert oder verworfen werden.</translation>
    </message>
    <message>
        <source>No rows match any more: nothing was deleted.</source>
        <translation>Keine Zeile passt mehr: Es wurde nichts gelöscht.</translation>
    </message>
    <message>
        <source>Delete rows</source>
        <translation>Zeilen löschen</translation>
    </message>
    <message>
        <source>Delete %1 from %2?</source>
        <translation>%1 aus %2 löschen?</translation>
    </message>
    <message>
        <source>They are deleted on the server at once; this cannot be undone.</source>
        <translation>Sie werden sofort auf dem Server gelöscht; das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln row(s)</source>
        <translation>
            <numerusform>%Ln Zeile löschen</numerusform>
            <numerusform>%Ln Zeilen löschen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %Ln row(s)…</source>
        <translation>
            <numerusform>Lösche %Ln Zeile…</numerusform>
            <numerusform>Lösche %Ln Zeilen…</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleting was cancelled: nothing was deleted.</source>
        <translation>Das Löschen wurde abgebrochen: Es wurde nichts gelöscht.</translation>
    </message>
    <message numerus="yes">
        <source>Nothing was deleted: %Ln row(s) match now, not the %1 you confirmed. Another client changed the table meanwhile; select all matching rows again to see them.</source>
        <translation>
            <numerusform>Es wurde nichts gelöscht: Jetzt passt %Ln Zeile, nicht die %1, die Sie bestätigt haben. Ein anderer Client hat die Tabelle inzwischen geändert; wählen Sie erneut alle passenden Zeilen aus, um sie zu sehen.</numerusform>
            <numerusform>Es wurde nichts gelöscht: Jetzt passen %Ln Zeilen, nicht die %1, die Sie bestätigt haben. Ein anderer Client hat die Tabelle inzwischen geändert; wählen Sie erneut alle passenden Zeilen aus, um sie zu sehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was deleted: %1</source>
        <translation>Es wurde nichts gelöscht: %1</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %Ln row(s).</source>
        <translation>
            <numerusform>%Ln Zeile gelöscht.</numerusform>
            <numerusform>%Ln Zeilen gelöscht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy failed</source>
        <translation>Kopieren fehlgeschlagen</translation>
    </message>
    <message>
        <source>Nothing was copied.</source>
        <translation>Es wurde nichts kopiert.</translation>
    </message>
    <message>
        <source>Copy rows</source>
        <translation>Zeilen kopieren</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) match: too many for the clipboard, which takes at most %1. Export writes them to a CSV file instead.</source>
        <translation>
            <numerusform>%Ln Zeile passt: zu viele für die Zwischenablage, die höchstens %1 aufnimmt. Exportieren schreibt sie stattdessen in eine CSV-Datei.</numerusform>
            <numerusform>%Ln Zeilen passen: zu viele für die Zwischenablage, die höchstens %1 aufnimmt. Exportieren schreibt sie stattdessen in eine CSV-Datei.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Copy %1 to the clipboard?</source>
        <translation>%1 in die Zwischenablage kopieren?</translation>
    </message>
    <message numerus="yes">
        <source>Copy %Ln row(s)</source>
        <translation>
            <numerusform>%Ln Zeile kopieren</numerusform>
            <numerusform>%Ln Zeilen kopieren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reading %Ln row(s) for the clipboard…</source>
        <translation>
            <numerusform>Lese %Ln Zeile für die Zwischenablage…</numerusform>
            <numerusform>Lese %Ln Zeilen für die Zwischenablage…</numerusform>
        </translation>
    </message>
    <message>
        <source>Copying was cancelled: the clipboard is as it was.</source>
        <translation>Das Kopieren wurde abgebrochen: Die Zwischenablage ist unverändert.</translation>
    </message>
    <message>
        <source>Nothing was copied: %1</source>
        <translation>Es wurde nichts kopiert: %1</translation>
    </message>
    <message>
        <source>Unsaved changes are not in the copy.</source>
        <translation>Ungespeicherte Änderungen sind nicht in der Kopie.</translation>
    </message>
    <message>
        <source>Se&amp;lect all</source>
        <translation>Alles a&amp;uswählen</translation>
    </message>
    <message>
        <source>The rows of the current filter are not shown yet: select all again once they are.</source>
        <translation>Die Zeilen des aktuellen Filters werden noch nicht angezeigt: Wählen Sie erneut alle aus, sobald sie da sind.</translation>
    </message>
    <message>
        <source>The selection changed meanwhile: nothing was done.</source>
        <translation>Die Auswahl hat sich inzwischen geändert: Es wurde nichts getan.</translation>
    </message>
</context>
<context>
    <name>NameFilterBox</name>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation>Namen filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Shows rows whose name contains this text, ignoring case. %, _ and \ mean themselves. Esc clears.</source>
        <translation>Zeigt Zeilen, deren Name diesen Text enthält, ohne Beachtung der Groß-/Kleinschreibung. %, _ und \ stehen für sich selbst. Esc leert das Feld.</translation>
    </message>
    <message>
        <source>Filtering failed:
%1</source>
        <translation>Filtern fehlgeschlagen:
%1</translation>
    </message>
    <message>
        <source>Search index not created</source>
        <translation>Suchindex nicht angelegt</translation>
    </message>
    <message>
        <source>The index was not created.</source>
        <translation>Der Index wurde nicht angelegt.</translation>
    </message>
    <message>
        <source>Create search index</source>
        <translation>Suchindex anlegen</translation>
    </message>
    <message>
        <source>Create a trigram index (pg_trgm) on the name column of %1?

It reads all %2%3 rows once: roughly a second per million rows on a local server, and an index about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). Afterwards, searching by name takes milliseconds at any size (for text of 3 characters or more).</source>
        <translation>Einen Trigramm-Index (pg_trgm) auf der Spalte name von %1 anlegen?

Er liest alle %2%3 Zeilen einmal: etwa eine Sekunde pro Million Zeilen auf einem lokalen Server, und der Index belegt etwa so viel Platz wie die Tabelle. Die Tabelle bleibt währenddessen benutzbar (CREATE INDEX CONCURRENTLY). Danach dauert die Suche nach Namen bei jeder Größe Millisekunden (für Text ab 3 Zeichen).</translation>
    </message>
    <message>
        <source>about </source>
        <translation>etwa </translation>
    </message>
    <message>
        <source>Creating the search index…</source>
        <translation>Lege den Suchindex an…</translation>
    </message>
    <message>
        <source>The index was not created: %1</source>
        <translation>Der Index wurde nicht angelegt: %1</translation>
    </message>
    <message>
        <source>Search index created.</source>
        <translation>Suchindex angelegt.</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>Nach Namen filtern</translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>Filter leeren</translation>
    </message>
    <message>
        <source>Filter colu&amp;mn</source>
        <translation>&amp;Filterspalte</translation>
    </message>
    <message>
        <source>Filter on the column %1</source>
        <translation>In der Spalte %1 filtern</translation>
    </message>
    <message>
        <source>Filter by %1 (Ctrl+F)</source>
        <translation>Nach %1 filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Filter by %1</source>
        <translation>Nach %1 filtern</translation>
    </message>
    <message>
        <source>Create a trigram index (pg_trgm) on the column %4 of %1?

It reads all %2%3 rows once: roughly a second per million rows on a local server, and an index about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). Afterwards, searching in %4 takes milliseconds at any size (for text of 3 characters or more).</source>
        <translation>Einen Trigramm-Index (pg_trgm) auf der Spalte %4 von %1 anlegen?

Er liest alle %2%3 Zeilen einmal: grob eine Sekunde pro Million Zeilen auf einem lokalen Server, und der Index ist auf der Festplatte etwa so groß wie die Tabelle. Die Tabelle bleibt währenddessen benutzbar (CREATE INDEX CONCURRENTLY). Danach dauert die Suche in %4 bei jeder Größe nur Millisekunden (für Text ab 3 Zeichen).</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtern</translation>
    </message>
    <message>
        <source>The column the search box filters on; click to pick another</source>
        <translation>Die Spalte, in der das Suchfeld filtert; klicken, um eine andere zu wählen</translation>
    </message>
    <message>
        <source>Filter column: %1</source>
        <translation>Filterspalte: %1</translation>
    </message>
    <message>
        <source>Shows rows whose %1 contains this text, ignoring case. %, _ and \ mean themselves. Esc clears. The button beside picks another column.</source>
        <translation>Zeigt Zeilen, deren %1 diesen Text enthält, ohne Groß-/Kleinschreibung zu beachten. %, _ und \ stehen für sich selbst. Esc leert das Feld. Die Schaltfläche daneben wählt eine andere Spalte.</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>in %1</translation>
    </message>
    <message>
        <source>The column %1 is gone from the table, so its filter was cleared.</source>
        <translation>Die Spalte %1 gibt es in der Tabelle nicht mehr, daher wurde ihr Filter entfernt.</translation>
    </message>
    <message>
        <source>Filter by %1: 5, &gt; 5, null (Ctrl+F)</source>
        <translation>Nach %1 filtern: 5, &gt; 5, null (Strg+F)</translation>
    </message>
    <message>
        <source>The column %1 changed its type, so its filter was cleared.</source>
        <translation>Die Spalte %1 hat ihren Typ geändert, daher wurde ihr Filter geleert.</translation>
    </message>
    <message>
        <source>Shows rows whose %1 compares as typed: start with =, &lt;&gt;, &lt;, &lt;=, &gt; or &gt;= (&quot;&gt; 5&quot;, &quot;&lt;= 2026-01-01&quot;), or type null or not null; the value is read as the column&apos;s type. Other text is searched for in the values as the server writes them, ignoring case (Exact match: the value equals it). Esc clears. The button beside picks another column.</source>
        <translation>Zeigt Zeilen, deren %1 dem Vergleich entspricht: mit =, &lt;&gt;, &lt;, &lt;=, &gt; oder &gt;= beginnen („&gt; 5“, „&lt;= 2026-01-01“) oder null bzw. not null eingeben; der Wert wird als Typ der Spalte gelesen. Anderer Text wird in den Werten gesucht, wie der Server sie schreibt, ohne Groß-/Kleinschreibung (Exakte Übereinstimmung: der Wert ist gleich). Esc leert. Die Schaltfläche daneben wählt eine andere Spalte.</translation>
    </message>
</context>
<context>
    <name>NetworkWait</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the statement on the server (Esc). Nothing is written.</source>
        <translation>Die Anweisung auf dem Server abbrechen (Esc). Es wird nichts geschrieben.</translation>
    </message>
    <message>
        <source>pgdesk is closing.</source>
        <translation>pgdesk wird beendet.</translation>
    </message>
    <message>
        <source>%1 Waiting for a lock held by %2.</source>
        <translation>%1 Warte auf eine Sperre, die %2 hält.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Breche ab…</translation>
    </message>
    <message>
        <source>Another session holds a lock on the rows or the table. pgdesk waits until it commits or rolls back; Cancel stops waiting, and nothing is written.</source>
        <translation>Eine andere Sitzung hält eine Sperre auf den Zeilen oder der Tabelle. pgdesk wartet, bis sie committet oder zurückrollt; Abbrechen beendet das Warten, und es wird nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>OfflineGuard</name>
    <message>
        <source>The server cannot be reached; pgdesk reconnects by itself, Ctrl+R tries at once.</source>
        <translation>Der Server ist nicht erreichbar; pgdesk verbindet sich selbst neu, Strg+R versucht es sofort.</translation>
    </message>
</context>
<context>
    <name>PasswordStore</name>
    <message>
        <source>no system keychain is available on this computer (no Secret Service, KWallet or similar is running)</source>
        <translation>auf diesem Computer ist kein System-Schlüsselbund verfügbar (kein Secret Service, KWallet o. Ä. läuft)</translation>
    </message>
    <message>
        <source>No system keychain is available on this computer (no Secret Service, KWallet or similar is running), so the password will not be remembered.</source>
        <translation>Auf diesem Computer ist kein System-Schlüsselbund verfügbar (kein Secret Service, KWallet o. Ä. läuft), daher wird das Passwort nicht gespeichert.</translation>
    </message>
    <message>
        <source>The password was not remembered: %1. pgdesk will ask for it next time.</source>
        <translation>Das Passwort wurde nicht gespeichert: %1. pgdesk fragt beim nächsten Mal danach.</translation>
    </message>
    <message>
        <source>The remembered password could not be removed: %1.</source>
        <translation>Das gespeicherte Passwort konnte nicht entfernt werden: %1.</translation>
    </message>
    <message>
        <source>access to the keychain was denied</source>
        <translation>der Zugriff auf den Schlüsselbund wurde verweigert</translation>
    </message>
    <message>
        <source>the keychain refused access</source>
        <translation>der Schlüsselbund hat den Zugriff verweigert</translation>
    </message>
    <message>
        <source>the keychain reported an error</source>
        <translation>der Schlüsselbund hat einen Fehler gemeldet</translation>
    </message>
    <message>
        <source>The password could not be read from the system keychain: %1.</source>
        <translation>Das Passwort konnte nicht aus dem System-Schlüsselbund gelesen werden: %1.</translation>
    </message>
    <message>
        <source>The remembered password could not be removed from the system keychain: %1.</source>
        <translation>Das gespeicherte Passwort konnte nicht aus dem System-Schlüsselbund entfernt werden: %1.</translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 s.</source>
        <translation>Der System-Schlüsselbund hat nicht innerhalb von %1 s geantwortet.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>from %1</source>
        <translation>aus %1</translation>
    </message>
    <message>
        <source>from $%1</source>
        <translation>aus $%1</translation>
    </message>
    <message>
        <source>from the %1</source>
        <translation>aus %1</translation>
    </message>
    <message>
        <source>entered here</source>
        <translation>hier eingegeben</translation>
    </message>
    <message>
        <source>libpq default</source>
        <translation>libpq-Vorgabe</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>%1 must be a port number from 1 to 65535 (%2).</source>
        <translation>%1 muss eine Portnummer von 1 bis 65535 sein (%2).</translation>
    </message>
    <message>
        <source>%1 lists %2 ports for %3 hosts: give one port, or one for each host (%4).</source>
        <translation>%1 nennt %2 Ports für %3 Hosts: Geben Sie einen Port an oder einen pro Host (%4).</translation>
    </message>
    <message>
        <source>%1 may not contain &apos;;&apos; (%2).</source>
        <translation>%1 darf kein &apos;;&apos; enthalten (%2).</translation>
    </message>
    <message>
        <source>The URI&apos;s %1 may not contain &apos;;&apos; (%2).</source>
        <translation>%1 der URI darf kein &apos;;&apos; enthalten (%2).</translation>
    </message>
    <message>
        <source>%1 must be one of %2 (%3).</source>
        <translation>%1 muss einer der Werte %2 sein (%3).</translation>
    </message>
    <message>
        <source>%1 must name a table (%2).</source>
        <translation>%1 muss eine Tabelle nennen (%2).</translation>
    </message>
    <message>
        <source>local socket</source>
        <translation>lokaler Socket</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>%1 is not a usable connection URI: %2.</source>
        <translation>%1 ist keine verwendbare Verbindungs-URI: %2.</translation>
    </message>
    <message>
        <source>service %1 (%2)</source>
        <translation>Dienst %1 (%2)</translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation>%1, Zeile %2: %3</translation>
    </message>
    <message>
        <source>it must start with postgres:// or postgresql://</source>
        <translation>sie muss mit postgres:// oder postgresql:// beginnen</translation>
    </message>
    <message>
        <source>the user name or password has a malformed %-escape</source>
        <translation>Benutzername oder Passwort enthält eine fehlerhafte %-Kodierung</translation>
    </message>
    <message>
        <source>it has more than one &apos;@&apos; before the host: an &apos;@&apos; in the user name or password must be written %40</source>
        <translation>sie hat mehr als ein &apos;@&apos; vor dem Host: Ein &apos;@&apos; in Benutzername oder Passwort muss als %40 geschrieben werden</translation>
    </message>
    <message>
        <source>an IPv6 address opened with &apos;[&apos; has no &apos;]&apos;</source>
        <translation>eine mit &apos;[&apos; geöffnete IPv6-Adresse hat kein &apos;]&apos;</translation>
    </message>
    <message>
        <source>the IPv6 address between &apos;[&apos; and &apos;]&apos; is empty</source>
        <translation>die IPv6-Adresse zwischen &apos;[&apos; und &apos;]&apos; ist leer</translation>
    </message>
    <message>
        <source>unexpected character after the IPv6 address&apos;s &apos;]&apos;</source>
        <translation>unerwartetes Zeichen nach dem &apos;]&apos; der IPv6-Adresse</translation>
    </message>
    <message>
        <source>the host has a malformed %-escape</source>
        <translation>der Host enthält eine fehlerhafte %-Kodierung</translation>
    </message>
    <message>
        <source>a port after a host is not a number from 1 to 65535 (a &apos;/&apos; or &apos;@&apos; in the password must be percent-encoded: %2F, %40)</source>
        <translation>ein Port nach einem Host ist keine Zahl von 1 bis 65535 (ein &apos;/&apos; oder &apos;@&apos; im Passwort muss prozentkodiert werden: %2F, %40)</translation>
    </message>
    <message>
        <source>the database name has a malformed %-escape</source>
        <translation>der Datenbankname enthält eine fehlerhafte %-Kodierung</translation>
    </message>
    <message>
        <source>the query parameter &quot;%1&quot; has no &apos;=value&apos;</source>
        <translation>der Abfrageparameter „%1“ hat kein &apos;=Wert&apos;</translation>
    </message>
    <message>
        <source>a query parameter has a malformed %-escape</source>
        <translation>ein Abfrageparameter enthält eine fehlerhafte %-Kodierung</translation>
    </message>
    <message>
        <source>the query parameter &quot;%1&quot; is not for pgdesk: it always talks UTF-8 in a normal session</source>
        <translation>der Abfrageparameter „%1“ ist nicht für pgdesk: Es spricht in einer normalen Sitzung immer UTF-8</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a libpq connection parameter (psql refuses it too); remove it from the URI&apos;s query</source>
        <translation>„%1“ ist kein Verbindungsparameter von libpq (psql lehnt ihn auch ab); entfernen Sie ihn aus der Abfrage der URI</translation>
    </message>
    <message>
        <source>unexpected text after the address</source>
        <translation>unerwarteter Text nach der Adresse</translation>
    </message>
    <message>
        <source># Written by pgdesk (Save as .env). Read by pgdesk and by python-dotenv.
</source>
        <translation># Geschrieben von pgdesk (Als .env speichern). Gelesen von pgdesk und python-dotenv.
</translation>
    </message>
    <message>
        <source>its permissions could not be limited to the owner</source>
        <translation>seine Rechte konnten nicht auf den Eigentümer beschränkt werden</translation>
    </message>
    <message>
        <source>recent connection</source>
        <translation>zuletzt benutzte Verbindung</translation>
    </message>
    <message>
        <source>service %1: %2</source>
        <translation>Dienst %1: %2</translation>
    </message>
    <message>
        <source>, table %1</source>
        <translation>, Tabelle %1</translation>
    </message>
    <message>
        <source>last connection</source>
        <translation>letzte Verbindung</translation>
    </message>
    <message>
        <source>The service &quot;%1&quot; is defined in none of %2.</source>
        <translation>Der Dienst „%1“ ist in keiner von %2 definiert.</translation>
    </message>
    <message>
        <source>a quote may only start a name part</source>
        <translation>ein Anführungszeichen darf nur einen Namensteil beginnen</translation>
    </message>
    <message>
        <source>unexpected text after a quoted name</source>
        <translation>unerwarteter Text nach einem Namen in Anführungszeichen</translation>
    </message>
    <message>
        <source>unterminated double quote</source>
        <translation>nicht geschlossenes doppeltes Anführungszeichen</translation>
    </message>
    <message>
        <source>use table or schema.table</source>
        <translation>verwenden Sie tabelle oder schema.tabelle</translation>
    </message>
    <message>
        <source>a name part is empty</source>
        <translation>ein Namensteil ist leer</translation>
    </message>
    <message>
        <source>a name may not contain a NUL character</source>
        <translation>ein Name darf kein NUL-Zeichen enthalten</translation>
    </message>
    <message>
        <source>a name may not contain a single quote (Qt&apos;s PostgreSQL driver would run the rest of it as SQL)</source>
        <translation>ein Name darf kein einfaches Anführungszeichen enthalten (Qts PostgreSQL-Treiber würde den Rest als SQL ausführen)</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed.</source>
        <translation>Qts PostgreSQL-Treiber (QPSQL) ist nicht installiert.</translation>
    </message>
    <message>
        <source>On Debian or Ubuntu install the package libqt6sql6-psql.</source>
        <translation>Installieren Sie unter Debian oder Ubuntu das Paket libqt6sql6-psql.</translation>
    </message>
    <message>
        <source>the local socket</source>
        <translation>der lokale Socket</translation>
    </message>
    <message>
        <source>The server at %1 does not support SSL, but sslmode is &quot;%2&quot;.</source>
        <translation>Der Server unter %1 unterstützt kein SSL, aber sslmode ist „%2“.</translation>
    </message>
    <message>
        <source>Choose sslmode &quot;prefer&quot; or &quot;disable&quot; if this server is trusted and on a safe network, or enable SSL on the server.</source>
        <translation>Wählen Sie sslmode „prefer“ oder „disable“, wenn dieser Server vertrauenswürdig ist und in einem sicheren Netz steht, oder aktivieren Sie SSL auf dem Server.</translation>
    </message>
    <message>
        <source>The server asks for a password, and none was given.</source>
        <translation>Der Server verlangt ein Passwort, und es wurde keines angegeben.</translation>
    </message>
    <message>
        <source>The server asks for a password for user &quot;%1&quot;, and none was given.</source>
        <translation>Der Server verlangt ein Passwort für den Benutzer „%1“, und es wurde keines angegeben.</translation>
    </message>
    <message>
        <source>Put it in PG_PASSWORD in the .env file (or in $PGPASSWORD or ~/.pgpass), or type it in pgdesk&apos;s connection dialog, which can remember it in the system keychain.</source>
        <translation>Tragen Sie es als PG_PASSWORD in die .env-Datei ein (oder in $PGPASSWORD oder ~/.pgpass), oder geben Sie es im Verbindungsdialog von pgdesk ein, der es im System-Schlüsselbund speichern kann.</translation>
    </message>
    <message>
        <source>The server rejected the password for user &quot;%1&quot;.</source>
        <translation>Der Server hat das Passwort für den Benutzer „%1“ abgelehnt.</translation>
    </message>
    <message>
        <source>Check PG_PASSWORD in the .env file, or type the password here.</source>
        <translation>Prüfen Sie PG_PASSWORD in der .env-Datei, oder geben Sie das Passwort hier ein.</translation>
    </message>
    <message>
        <source>The server has no user (role) named &quot;%1&quot;.</source>
        <translation>Der Server hat keinen Benutzer (keine Rolle) namens „%1“.</translation>
    </message>
    <message>
        <source>Check PG_USER.</source>
        <translation>Prüfen Sie PG_USER.</translation>
    </message>
    <message>
        <source>The database &quot;%1&quot; does not exist on %2.</source>
        <translation>Die Datenbank „%1“ existiert auf %2 nicht.</translation>
    </message>
    <message>
        <source>Check PG_DATABASE, or create the database (createdb %1).</source>
        <translation>Prüfen Sie PG_DATABASE, oder legen Sie die Datenbank an (createdb %1).</translation>
    </message>
    <message>
        <source>The host name &quot;%1&quot; could not be found.</source>
        <translation>Der Hostname „%1“ wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>Check PG_HOST for a typo, or your network and DNS.</source>
        <translation>Prüfen Sie PG_HOST auf Tippfehler, oder Ihr Netzwerk und DNS.</translation>
    </message>
    <message>
        <source>No answer from %1 within the connection timeout.</source>
        <translation>Keine Antwort von %1 innerhalb der Verbindungszeit.</translation>
    </message>
    <message>
        <source>A firewall may be dropping the connection, or the host is down.</source>
        <translation>Eine Firewall verwirft die Verbindung womöglich, oder der Host ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>No PostgreSQL server is accepting connections at %1.</source>
        <translation>Unter %1 nimmt kein PostgreSQL-Server Verbindungen an.</translation>
    </message>
    <message>
        <source>Start the server, or check PG_HOST and PG_PORT.</source>
        <translation>Starten Sie den Server, oder prüfen Sie PG_HOST und PG_PORT.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is for %1, not for &quot;%2&quot;, the host pgdesk connected to.</source>
        <translation>Das Zertifikat des Servers gilt für %1, nicht für „%2“, den Host, mit dem pgdesk verbunden ist.</translation>
    </message>
    <message>
        <source>Connect with a host name the certificate names (PG_HOST or the URI&apos;s host); sslmode verify-ca checks who signed the certificate without the name.</source>
        <translation>Verbinden Sie sich mit einem Hostnamen, den das Zertifikat nennt (PG_HOST oder der Host der URI); sslmode verify-ca prüft, wer das Zertifikat signiert hat, ohne den Namen.</translation>
    </message>
    <message>
        <source>The server at %1 admits user &quot;%2&quot; only with a client certificate.</source>
        <translation>Der Server unter %1 lässt den Benutzer „%2“ nur mit einem Client-Zertifikat zu.</translation>
    </message>
    <message>
        <source>Give the certificate and its key (PG_SSLCERT and PG_SSLKEY, or the dialog&apos;s Client certificate and Client key).</source>
        <translation>Geben Sie das Zertifikat und seinen Schlüssel an (PG_SSLCERT und PG_SSLKEY, oder Client-Zertifikat und Client-Schlüssel im Dialog).</translation>
    </message>
    <message>
        <source>The client key %1 is readable by others.</source>
        <translation>Der Client-Schlüssel %1 ist für andere lesbar.</translation>
    </message>
    <message>
        <source>libpq refuses such a key: make it readable by you alone (chmod 600).</source>
        <translation>libpq lehnt einen solchen Schlüssel ab: Machen Sie ihn nur für sich lesbar (chmod 600).</translation>
    </message>
    <message>
        <source>The server&apos;s SSL certificate could not be verified against this system&apos;s trusted certificate authorities.</source>
        <translation>Das SSL-Zertifikat des Servers konnte nicht gegen die vertrauenswürdigen Zertifizierungsstellen dieses Systems geprüft werden.</translation>
    </message>
    <message>
        <source>The server&apos;s SSL certificate could not be verified.</source>
        <translation>Das SSL-Zertifikat des Servers konnte nicht geprüft werden.</translation>
    </message>
    <message>
        <source>Choose the root certificate that signed it (PG_SSLROOTCERT), or use sslmode &quot;require&quot;, which encrypts without checking who the server is.</source>
        <translation>Wählen Sie das Stammzertifikat, das es signiert hat (PG_SSLROOTCERT), oder verwenden Sie sslmode „require“, das verschlüsselt, ohne zu prüfen, wer der Server ist.</translation>
    </message>
    <message>
        <source>Could not connect to %1.</source>
        <translation>Verbindung mit %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The connection to %1 was lost.</source>
        <translation>Die Verbindung zu %1 wurde unterbrochen.</translation>
    </message>
    <message>
        <source>pgdesk reconnects on its own when the server answers again.</source>
        <translation>pgdesk verbindet sich selbst neu, sobald der Server wieder antwortet.</translation>
    </message>
    <message>
        <source>The connection to the server was lost while %1.</source>
        <translation>Die Verbindung zum Server wurde unterbrochen (%1).</translation>
    </message>
    <message>
        <source>The server cancelled %1: it took longer than the statement_timeout set for this role or database.</source>
        <translation>Der Server hat einen Vorgang abgebrochen (%1): Er dauerte länger als das für diese Rolle oder Datenbank gesetzte statement_timeout.</translation>
    </message>
    <message>
        <source>Ask the database owner to raise it (ALTER ROLE ... SET statement_timeout), or try again when the server is less busy.</source>
        <translation>Bitten Sie den Eigentümer der Datenbank, es zu erhöhen (ALTER ROLE ... SET statement_timeout), oder versuchen Sie es erneut, wenn der Server weniger ausgelastet ist.</translation>
    </message>
    <message>
        <source>The server refused %1: permission denied.</source>
        <translation>Der Server hat einen Vorgang abgelehnt (%1): Zugriff verweigert.</translation>
    </message>
    <message>
        <source>Ask the table&apos;s owner to GRANT the privilege to this role.</source>
        <translation>Bitten Sie den Eigentümer der Tabelle, dieser Rolle das Recht zu erteilen (GRANT).</translation>
    </message>
    <message>
        <source>The server reported an error while %1.</source>
        <translation>Der Server hat einen Fehler gemeldet (%1).</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>Der Server sagte: %1</translation>
    </message>
    <message>
        <source>The root certificate path may not contain &apos;;&apos;.</source>
        <translation>Der Pfad des Stammzertifikats darf kein &apos;;&apos; enthalten.</translation>
    </message>
    <message>
        <source>reading the server&apos;s version</source>
        <translation>Lesen der Serverversion</translation>
    </message>
    <message>
        <source>PG_TABLE &quot;%1&quot; is not a table name: %2.</source>
        <translation>PG_TABLE „%1“ ist kein Tabellenname: %2.</translation>
    </message>
    <message>
        <source>checking the connection</source>
        <translation>Prüfen der Verbindung</translation>
    </message>
    <message>
        <source>There is no connection to reopen: connect first.</source>
        <translation>Es gibt keine Verbindung zum Wiederöffnen: Verbinden Sie sich zuerst.</translation>
    </message>
    <message>
        <source>Could not look up the table %1.</source>
        <translation>Die Tabelle %1 konnte nicht nachgeschlagen werden.</translation>
    </message>
    <message>
        <source>The table %1 does not exist and cannot be created here.</source>
        <translation>Die Tabelle %1 existiert nicht und kann hier nicht angelegt werden.</translation>
    </message>
    <message>
        <source>The table %1 does not exist and could not be created.</source>
        <translation>Die Tabelle %1 existiert nicht und konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Ask the database owner to create it, or choose another PG_TABLE.</source>
        <translation>Bitten Sie den Eigentümer der Datenbank, sie anzulegen, oder wählen Sie eine andere PG_TABLE.</translation>
    </message>
    <message>
        <source>The privileges on %1 could not be read: %2</source>
        <translation>Die Rechte an %1 konnten nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The table %1 does not exist.</source>
        <translation>Die Tabelle %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may not read the table %2 (it has no SELECT privilege on it).</source>
        <translation>Die Rolle „%1“ darf die Tabelle %2 nicht lesen (sie hat kein SELECT-Recht darauf).</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may only read the table %2: it lacks the %3 privilege.</source>
        <translation>Die Rolle „%1“ darf die Tabelle %2 nur lesen: Ihr fehlt das Recht %3.</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may only read the table %2: it lacks the %3 privileges.</source>
        <translation>Die Rolle „%1“ darf die Tabelle %2 nur lesen: Ihr fehlen die Rechte %3.</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may not add rows to %2: it lacks USAGE on the sequence that numbers its rows.</source>
        <translation>Die Rolle „%1“ darf keine Zeilen zu %2 hinzufügen: Ihr fehlt USAGE auf der Sequenz, die die Zeilen nummeriert.</translation>
    </message>
    <message>
        <source>The columns of %1 could not be read: %2</source>
        <translation>Die Spalten von %1 konnten nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The primary key of %1 could not be read: %2</source>
        <translation>Der Primärschlüssel von %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The table %1 has no primary key, so pgdesk cannot tell which row an edit belongs to.</source>
        <translation>Die Tabelle %1 hat keinen Primärschlüssel, daher kann pgdesk nicht erkennen, zu welcher Zeile eine Änderung gehört.</translation>
    </message>
    <message>
        <source>This server is a read-only replica (hot standby): it refuses every change. Connect to the primary server to edit.</source>
        <translation>Dieser Server ist ein schreibgeschütztes Replikat (Hot Standby): Er lehnt jede Änderung ab. Verbinden Sie sich zum Bearbeiten mit dem primären Server.</translation>
    </message>
    <message>
        <source>This connection is read-only: default_transaction_read_only is on for the role &quot;%1&quot; or the database &quot;%2&quot;.</source>
        <translation>Diese Verbindung ist schreibgeschützt: default_transaction_read_only ist für die Rolle „%1“ oder die Datenbank „%2“ eingeschaltet.</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Zeile hinzufügen</translation>
    </message>
    <message>
        <source>Delete row</source>
        <translation>Zeile löschen</translation>
    </message>
    <message>
        <source>Delete %1 rows</source>
        <translation>%1 Zeilen löschen</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n Zeile</numerusform>
            <numerusform>%n Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect, then print the server version and whether SSL is in use.</source>
        <translation>Verbinden, dann die Serverversion ausgeben und ob SSL verwendet wird.</translation>
    </message>
    <message>
        <source>The names to add, each a row; put -- before a name that starts with -.</source>
        <translation>Die hinzuzufügenden Namen, jeder eine Zeile; setzen Sie -- vor einen Namen, der mit - beginnt.</translation>
    </message>
    <message>
        <source>Insert one row per NAME (guide.py NAME).</source>
        <translation>Eine Zeile pro NAME einfügen (guide.py NAME).</translation>
    </message>
    <message>
        <source>The name to look for.</source>
        <translation>Der gesuchte Name.</translation>
    </message>
    <message>
        <source>Print the rows named exactly NAME, every row without NAME; --contains: names containing NAME, ignoring case.</source>
        <translation>Die Zeilen mit genau dem Namen NAME ausgeben, ohne NAME alle Zeilen; --contains: Namen, die NAME enthalten, ohne Beachtung der Groß-/Kleinschreibung.</translation>
    </message>
    <message>
        <source>The name whose rows to delete.</source>
        <translation>Der Name, dessen Zeilen gelöscht werden.</translation>
    </message>
    <message>
        <source>Delete the rows named exactly NAME.</source>
        <translation>Die Zeilen mit genau dem Namen NAME löschen.</translation>
    </message>
    <message>
        <source>Drop the table and all its rows; asks first unless --yes.</source>
        <translation>Die Tabelle mit allen Zeilen löschen; fragt vorher nach, außer mit --yes.</translation>
    </message>
    <message>
        <source>Serve the tutorial&apos;s HTTP API (main.py): /read, /write, /delete.</source>
        <translation>Die HTTP-API des Tutorials bereitstellen (main.py): /read, /write, /delete.</translation>
    </message>
    <message>
        <source>Commands (pgdesk COMMAND --help shows each one&apos;s options):</source>
        <translation>Befehle (pgdesk BEFEHL --help zeigt die Optionen jedes Befehls):</translation>
    </message>
    <message>
        <source>Without a command pgdesk opens its window. Exit codes: 0 success, 1 usage error, 2 cannot connect, 3 database error.</source>
        <translation>Ohne Befehl öffnet pgdesk sein Fenster. Exit-Codes: 0 Erfolg, 1 Aufruffehler, 2 keine Verbindung möglich, 3 Datenbankfehler.</translation>
    </message>
    <message>
        <source>Read connection settings from FILE instead of searching for .env.</source>
        <translation>Verbindungseinstellungen aus FILE lesen, statt nach .env zu suchen.</translation>
    </message>
    <message>
        <source>Print JSON for programs instead of text for people.</source>
        <translation>JSON für Programme statt Text für Menschen ausgeben.</translation>
    </message>
    <message>
        <source>Match names containing NAME, ignoring case; % and _ match only themselves.</source>
        <translation>Namen finden, die NAME enthalten, ohne Beachtung der Groß-/Kleinschreibung; % und _ stehen nur für sich selbst.</translation>
    </message>
    <message>
        <source>Drop without asking; required when standard input is not a terminal.</source>
        <translation>Ohne Nachfrage löschen; nötig, wenn die Standardeingabe kein Terminal ist.</translation>
    </message>
    <message>
        <source>Listen on ADDR (default 127.0.0.1; 0.0.0.0 or :: listens on every network).</source>
        <translation>Auf ADDR lauschen (Vorgabe 127.0.0.1; 0.0.0.0 oder :: lauscht in jedem Netz).</translation>
    </message>
    <message>
        <source>Listen on port N (default 8080; 0 picks a free port).</source>
        <translation>Auf Port N lauschen (Vorgabe 8080; 0 wählt einen freien Port).</translation>
    </message>
    <message>
        <source>Require the header &quot;Authorization: Bearer T&quot; on every request (also read from $PGDESK_TOKEN, which other users cannot see in the process list).</source>
        <translation>Bei jeder Anfrage den Header &quot;Authorization: Bearer T&quot; verlangen (wird auch aus $PGDESK_TOKEN gelesen, das andere Benutzer in der Prozessliste nicht sehen).</translation>
    </message>
    <message>
        <source>Let /delete drop the table, as the tutorial&apos;s does.</source>
        <translation>/delete darf die Tabelle löschen, wie im Tutorial.</translation>
    </message>
    <message>
        <source>Answer with main.py&apos;s JSON: /read as [[id, &quot;name&quot;, &quot;date&quot;]], everything else as {&quot;result&quot;: ...}, failures as 500.</source>
        <translation>Mit dem JSON von main.py antworten: /read als [[id, &quot;name&quot;, &quot;date&quot;]], alles andere als {&quot;result&quot;: ...}, Fehler als 500.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a pgdesk command.</source>
        <translation>„%1“ ist kein pgdesk-Befehl.</translation>
    </message>
    <message>
        <source>The commands are %1; pgdesk --help describes them.</source>
        <translation>Die Befehle sind %1; pgdesk --help beschreibt sie.</translation>
    </message>
    <message>
        <source>See pgdesk %1--help.</source>
        <translation>Siehe pgdesk %1--help.</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>check takes no arguments.</source>
        <translation>check erwartet keine Argumente.</translation>
    </message>
    <message>
        <source>Connected, but the server did not answer a query.</source>
        <translation>Verbunden, aber der Server hat eine Abfrage nicht beantwortet.</translation>
    </message>
    <message>
        <source>Server version: %1</source>
        <translation>Serverversion: %1</translation>
    </message>
    <message>
        <source>SSL: in use (%1)</source>
        <translation>SSL: aktiv (%1)</translation>
    </message>
    <message>
        <source>SSL: not in use</source>
        <translation>SSL: nicht aktiv</translation>
    </message>
    <message>
        <source>Connected to: %1, table %2</source>
        <translation>Verbunden mit: %1, Tabelle %2</translation>
    </message>
    <message>
        <source>Settings:</source>
        <translation>Einstellungen:</translation>
    </message>
    <message>
        <source>add needs at least one NAME.</source>
        <translation>add braucht mindestens einen NAME.</translation>
    </message>
    <message>
        <source>Added %1 to %2 (id %3, %4).</source>
        <translation>%1 zu %2 hinzugefügt (id %3, %4).</translation>
    </message>
    <message>
        <source>read takes at most one NAME; quote a name that has spaces.</source>
        <translation>read erwartet höchstens einen NAME; setzen Sie einen Namen mit Leerzeichen in Anführungszeichen.</translation>
    </message>
    <message>
        <source>--contains needs the NAME to look for.</source>
        <translation>--contains braucht den gesuchten NAME.</translation>
    </message>
    <message>
        <source>delete needs exactly one NAME; quote a name that has spaces.</source>
        <translation>delete braucht genau einen NAME; setzen Sie einen Namen mit Leerzeichen in Anführungszeichen.</translation>
    </message>
    <message>
        <source>Deleted %1 named %2 from %3.</source>
        <translation>%1 mit dem Namen %2 aus %3 gelöscht.</translation>
    </message>
    <message>
        <source>drop takes no arguments; the table is PG_TABLE (my_table by default).</source>
        <translation>drop erwartet keine Argumente; die Tabelle ist PG_TABLE (standardmäßig my_table).</translation>
    </message>
    <message>
        <source>drop asks before dropping the table, and standard input is not a terminal: add --yes to drop without asking.</source>
        <translation>drop fragt vor dem Löschen der Tabelle nach, und die Standardeingabe ist kein Terminal: Fügen Sie --yes hinzu, um ohne Nachfrage zu löschen.</translation>
    </message>
    <message>
        <source>Drop the table %1 on %2 with its %3? [y/N]</source>
        <translation>Die Tabelle %1 auf %2 mit ihren %3 löschen? [y/N]</translation>
    </message>
    <message>
        <source>Not dropped.</source>
        <translation>Nicht gelöscht.</translation>
    </message>
    <message>
        <source>Dropped the table %1.</source>
        <translation>Die Tabelle %1 wurde gelöscht.</translation>
    </message>
    <message>
        <source>The table %1 does not exist; nothing to drop.</source>
        <translation>Die Tabelle %1 existiert nicht; nichts zu löschen.</translation>
    </message>
    <message>
        <source>serve takes no arguments.</source>
        <translation>serve erwartet keine Argumente.</translation>
    </message>
    <message>
        <source>--port needs a number from 0 to 65535.</source>
        <translation>--port braucht eine Zahl von 0 bis 65535.</translation>
    </message>
    <message>
        <source>--bind needs an IP address such as 127.0.0.1, 0.0.0.0 or ::1.</source>
        <translation>--bind braucht eine IP-Adresse wie 127.0.0.1, 0.0.0.0 oder ::1.</translation>
    </message>
    <message>
        <source>--token needs a value.</source>
        <translation>--token braucht einen Wert.</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>Lauschen auf %1 Port %2 nicht möglich: %3</translation>
    </message>
    <message>
        <source>Could not %1 %2. %3</source>
        <translation>%1 %2 fehlgeschlagen. %3</translation>
    </message>
    <message>
        <source>A name cannot contain a NUL character: PostgreSQL text cannot store one.</source>
        <translation>Ein Name darf kein NUL-Zeichen enthalten: PostgreSQL-Text kann keines speichern.</translation>
    </message>
    <message>
        <source>The database server cannot be reached.</source>
        <translation>Der Datenbankserver ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>Could not %1 %2: the server accepts no changes on this connection (it is a read-only replica, or transactions are read-only for this role).</source>
        <translation>%1 %2 fehlgeschlagen: Der Server nimmt auf dieser Verbindung keine Änderungen an (er ist ein schreibgeschütztes Replikat, oder Transaktionen sind für diese Rolle schreibgeschützt).</translation>
    </message>
    <message>
        <source>Could not %1 %2.</source>
        <translation>%1 %2 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>add to</source>
        <translation>Hinzufügen zu</translation>
    </message>
    <message>
        <source>read</source>
        <translation>Lesen von</translation>
    </message>
    <message>
        <source>delete from</source>
        <translation>Löschen aus</translation>
    </message>
    <message>
        <source>look up</source>
        <translation>Nachschlagen von</translation>
    </message>
    <message>
        <source>count the rows of</source>
        <translation>Zählen der Zeilen von</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>Löschen von</translation>
    </message>
    <message>
        <source>Line %1 ends the file in the middle of a UTF-8 character.</source>
        <translation>Zeile %1 beendet die Datei mitten in einem UTF-8-Zeichen.</translation>
    </message>
    <message>
        <source>Line %1 opens a quoted field that is never closed: the file ends inside it. Close it with a quote (&quot;).</source>
        <translation>Zeile %1 öffnet ein Feld in Anführungszeichen, das nie geschlossen wird: Die Datei endet darin. Schließen Sie es mit einem Anführungszeichen (&quot;).</translation>
    </message>
    <message>
        <source>Line %1 is not valid UTF-8 (a character is cut short before byte 0x%2). Save the file as UTF-8.</source>
        <translation>Zeile %1 ist kein gültiges UTF-8 (ein Zeichen bricht vor Byte 0x%2 ab). Speichern Sie die Datei als UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 is not valid UTF-8 (byte 0x%2). Save the file as UTF-8.</source>
        <translation>Zeile %1 ist kein gültiges UTF-8 (Byte 0x%2). Speichern Sie die Datei als UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 contains a NUL byte, which PostgreSQL text cannot hold. Is the file UTF-16? Save it as UTF-8.</source>
        <translation>Zeile %1 enthält ein NUL-Byte, das PostgreSQL-Text nicht aufnehmen kann. Ist die Datei UTF-16? Speichern Sie sie als UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 has a quote (&quot;) inside a field that does not start with one. Put the whole field in quotes and write the quote twice (&quot;&quot;).</source>
        <translation>Zeile %1 hat ein Anführungszeichen (&quot;) in einem Feld, das nicht mit einem beginnt. Setzen Sie das ganze Feld in Anführungszeichen und schreiben Sie das Anführungszeichen doppelt (&quot;&quot;).</translation>
    </message>
    <message>
        <source>Line %1 has text after the closing quote of a field. Inside a quoted field, write a quote twice (&quot;&quot;).</source>
        <translation>Zeile %1 hat Text nach dem schließenden Anführungszeichen eines Feldes. Schreiben Sie in einem Feld in Anführungszeichen ein Anführungszeichen doppelt (&quot;&quot;).</translation>
    </message>
    <message>
        <source>Write messages for people in LANG (en, de, fr); JSON and exit codes stay the same in every language.</source>
        <translation>Meldungen für Menschen in LANG (en, de, fr) ausgeben; JSON und Exit-Codes bleiben in jeder Sprache gleich.</translation>
    </message>
    <message>
        <source>Run up to N statements at once, each on a connection of its own opened when first needed, so a slow request does not hold up the others (default %1).</source>
        <translation>Bis zu N Anweisungen gleichzeitig ausführen, jede auf einer eigenen Verbindung, die beim ersten Bedarf geöffnet wird, damit eine langsame Anfrage die anderen nicht aufhält (Standard %1).</translation>
    </message>
    <message>
        <source>--workers needs a number from 1 to %1.</source>
        <translation>--workers braucht eine Zahl von 1 bis %1.</translation>
    </message>
    <message>
        <source>PostgreSQL text cannot contain a NUL character, so nothing can match it.</source>
        <translation>PostgreSQL-Text kann kein NUL-Zeichen enthalten, daher kann nichts dazu passen.</translation>
    </message>
    <message>
        <source>Could not %1 %2: the command line and the HTTP API work on the tutorial&apos;s columns (id, name, date), and %2 has no %3. The window opens any table with a primary key.</source>
        <translation>%1 %2 fehlgeschlagen: Die Befehlszeile und die HTTP-API arbeiten mit den Spalten des Tutorials (id, name, date), und %2 hat kein %3. Das Fenster öffnet jede Tabelle mit Primärschlüssel.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; means another moment each time the server reads it; type the date itself.</source>
        <translation>„%1“ bedeutet bei jedem Lesen durch den Server einen anderen Zeitpunkt; geben Sie das Datum selbst ein.</translation>
    </message>
    <message>
        <source>The primary key column &quot;%1&quot; of %2 is %3; pgdesk edits rows by a key of type integer, bigint, smallint, uuid, numeric, boolean, a date or time, inet, cidr, macaddr or (in a UTF8 database) text, varchar, char, citext or an enum.</source>
        <translation>Die Primärschlüsselspalte „%1“ von %2 ist %3; pgdesk bearbeitet Zeilen über einen Schlüssel vom Typ integer, bigint, smallint, uuid, numeric, boolean, ein Datum oder eine Zeit, inet, cidr, macaddr oder (in einer UTF8-Datenbank) text, varchar, char, citext oder eine Aufzählung (enum).</translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>Die Verbindung zum Server wurde unterbrochen.</translation>
    </message>
    <message>
        <source>looking up the table %1</source>
        <translation>Nachschlagen der Tabelle %1</translation>
    </message>
</context>
<context>
    <name>RowDetails</name>
    <message>
        <source>Row &amp;details…</source>
        <translation>Zeilen&amp;details…</translation>
    </message>
    <message>
        <source>Row details shows the current row: click a cell first.</source>
        <translation>Zeilendetails zeigt die aktuelle Zeile: Klicken Sie zuerst auf eine Zelle.</translation>
    </message>
    <message>
        <source>Show every column of the current row in full, and edit it</source>
        <translation>Alle Spalten der aktuellen Zeile vollständig zeigen und bearbeiten</translation>
    </message>
    <message>
        <source>The row is no longer in the grid, so nothing was changed. Open Row details on it again.</source>
        <translation>Die Zeile ist nicht mehr im Raster, daher wurde nichts geändert. Öffnen Sie die Zeilendetails erneut für sie.</translation>
    </message>
    <message>
        <source>Edit row details</source>
        <translation>Zeilendetails bearbeiten</translation>
    </message>
</context>
<context>
    <name>RowDetailsDialog</name>
    <message>
        <source>timestamp</source>
        <translation>Zeitstempel</translation>
    </message>
    <message>
        <source>boolean</source>
        <translation>Wahrheitswert</translation>
    </message>
    <message>
        <source>integer</source>
        <translation>Ganzzahl</translation>
    </message>
    <message>
        <source>number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Row details</source>
        <translation>Zeilendetails</translation>
    </message>
    <message>
        <source>Read-only: this row cannot be edited here.</source>
        <translation>Nur lesen: Diese Zeile kann hier nicht bearbeitet werden.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln Zeichen</numerusform>
            <numerusform>%Ln Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln Byte</numerusform>
            <numerusform>%Ln Bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>The changes made in Row details are not in the grid yet. Apply them before closing?</source>
        <translation>Die Änderungen in den Zeilendetails sind noch nicht im Raster. Vor dem Schließen übernehmen?</translation>
    </message>
    <message>
        <source>The changes made in Row details are not in the grid yet, and a value is not valid. Discard them?</source>
        <translation>Die Änderungen in den Zeilendetails sind noch nicht im Raster, und ein Wert ist ungültig. Verwerfen?</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>Ü&amp;bernehmen</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
</context>
<context>
    <name>SaveFlow</name>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln Zeile</numerusform>
            <numerusform>%Ln Zeilen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s)</source>
        <translation>
            <numerusform>%Ln Änderung</numerusform>
            <numerusform>%Ln Änderungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was written; your %Ln change(s) are still staged.</source>
        <translation>
            <numerusform>Es wurde nichts geschrieben; Ihre Änderung bleibt vorgemerkt.</numerusform>
            <numerusform>Es wurde nichts geschrieben; Ihre %Ln Änderungen bleiben vorgemerkt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save again once the server is back.</source>
        <translation>Speichern Sie erneut, sobald der Server wieder da ist.</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Speichere %1…</translation>
    </message>
    <message>
        <source>pgdesk is closing; the save may not have finished.</source>
        <translation>pgdesk wird beendet; das Speichern ist womöglich nicht abgeschlossen.</translation>
    </message>
    <message>
        <source>Offline: nothing was written; your changes are still staged.</source>
        <translation>Offline: Es wurde nichts geschrieben; Ihre Änderungen bleiben vorgemerkt.</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>Speichern fehlgeschlagen</translation>
    </message>
    <message>
        <source>Delete %1 from %2?</source>
        <translation>%1 aus %2 löschen?</translation>
    </message>
    <message>
        <source>Save %1 and delete %2 from %3?</source>
        <translation>%1 speichern und %2 aus %3 löschen?</translation>
    </message>
    <message>
        <source>Save and delete</source>
        <translation>Speichern und löschen</translation>
    </message>
    <message>
        <source>Deleted rows cannot be brought back after saving.</source>
        <translation>Gelöschte Zeilen lassen sich nach dem Speichern nicht zurückholen.</translation>
    </message>
    <message>
        <source>Delete row</source>
        <translation>Zeile löschen</translation>
    </message>
    <message>
        <source>Delete rows</source>
        <translation>Zeilen löschen</translation>
    </message>
    <message>
        <source>Not saved; your changes are still staged.</source>
        <translation>Nicht gespeichert; Ihre Änderungen bleiben vorgemerkt.</translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln change(s).</source>
        <translation>
            <numerusform>%Ln Änderung gespeichert.</numerusform>
            <numerusform>%Ln Änderungen gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>%1 gelöscht.</translation>
    </message>
    <message>
        <source>Saved %1 and deleted %2.</source>
        <translation>%1 gespeichert und %2 gelöscht.</translation>
    </message>
    <message>
        <source>Save failed; nothing was written.</source>
        <translation>Speichern fehlgeschlagen; es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>
%1: when you read it %2, now %3</source>
        <translation>
%1: beim Lesen %2, jetzt %3</translation>
    </message>
    <message>
        <source>
%1: when you read it %2, now %3, yours %4</source>
        <translation>
%1: beim Lesen %2, jetzt %3, Ihre %4</translation>
    </message>
    <message>
        <source>Changed by someone else</source>
        <translation>Von jemand anderem geändert</translation>
    </message>
    <message>
        <source>Delete it anyway</source>
        <translation>Trotzdem löschen</translation>
    </message>
    <message>
        <source>Keep the row</source>
        <translation>Zeile behalten</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Meine behalten</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>Ihre übernehmen</translation>
    </message>
    <message numerus="yes">
        <source>Discard %Ln unsaved change(s)?</source>
        <translation>
            <numerusform>%Ln ungespeicherte Änderung verwerfen?</numerusform>
            <numerusform>%Ln ungespeicherte Änderungen verwerfen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep the %1 marked for deletion?</source>
        <translation>Die %1 zum Löschen markiert lassen?</translation>
    </message>
    <message>
        <source>Discard %1 and keep the %2 marked for deletion?</source>
        <translation>%1 verwerfen und die %2 zum Löschen markiert lassen?</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>The database keeps what it has.</source>
        <translation>Die Datenbank behält ihren Stand.</translation>
    </message>
    <message numerus="yes">
        <source>Marked %Ln row(s) for deletion: Save deletes them, Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>%Ln Zeile zum Löschen markiert: Speichern löscht sie, Strg+Z holt sie zurück.</numerusform>
            <numerusform>%Ln Zeilen zum Löschen markiert: Speichern löscht sie, Strg+Z holt sie zurück.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>Löschen fehlgeschlagen</translation>
    </message>
    <message>
        <source>Nothing was deleted.</source>
        <translation>Es wurde nichts gelöscht.</translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln row(s) from %1?</source>
        <translation>
            <numerusform>%Ln Zeile aus %1 löschen?</numerusform>
            <numerusform>%Ln Zeilen aus %1 löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message numerus="yes">
        <source>Deleting %Ln row(s)…</source>
        <translation>
            <numerusform>Lösche %Ln Zeile…</numerusform>
            <numerusform>Lösche %Ln Zeilen…</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was deleted: %1</source>
        <translation>Es wurde nichts gelöscht: %1</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %Ln row(s).</source>
        <translation>
            <numerusform>%Ln Zeile gelöscht.</numerusform>
            <numerusform>%Ln Zeilen gelöscht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message numerus="yes">
        <source>You have %Ln unsaved change(s).</source>
        <translation>
            <numerusform>Sie haben %Ln ungespeicherte Änderung.</numerusform>
            <numerusform>Sie haben %Ln ungespeicherte Änderungen.</numerusform>
        </translation>
    </message>
    <message>
        <source>You have %1 unsaved and %2 marked for deletion.</source>
        <translation>Sie haben %1 ungespeichert und %2 zum Löschen markiert.</translation>
    </message>
    <message>
        <source>“%1”</source>
        <comment>a value, quoted</comment>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>Another client changed %1 after you marked it for deletion. Nothing was saved yet.</source>
        <translation>Ein anderer Client hat %1 geändert, nachdem Sie sie zum Löschen markiert haben. Es wurde noch nichts gespeichert.</translation>
    </message>
    <message>
        <source>Another client changed %1 after you read it. Nothing was saved yet.</source>
        <translation>Ein anderer Client hat %1 geändert, nachdem Sie sie gelesen haben. Es wurde noch nichts gespeichert.</translation>
    </message>
</context>
<context>
    <name>SavePlanner</name>
    <message>
        <source>new row %1</source>
        <translation>neue Zeile %1</translation>
    </message>
    <message>
        <source>The %1 of %2 contains a NUL character, which PostgreSQL text cannot hold.</source>
        <translation>%2: Die Spalte %1 enthält ein NUL-Zeichen, das PostgreSQL-Text nicht aufnehmen kann.</translation>
    </message>
    <message>
        <source>The %1 of %2 contains a broken character (an unpaired UTF-16 surrogate), which cannot be stored as UTF-8.</source>
        <translation>%2: Die Spalte %1 enthält ein defektes Zeichen (ein ungepaartes UTF-16-Surrogat), das nicht als UTF-8 gespeichert werden kann.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Search commands or keys</source>
        <translation>Befehle oder Tasten suchen</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Search shortcuts</source>
        <translation>Tastenkürzel durchsuchen</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
</context>
<context>
    <name>StatusBarPanel</name>
    <message>
        <source>The server is working; Esc cancels</source>
        <translation>Der Server arbeitet; Esc bricht ab</translation>
    </message>
    <message>
        <source>Searching is slow without an index: create one…</source>
        <translation>Ohne Index ist die Suche langsam: einen anlegen…</translation>
    </message>
    <message>
        <source>Waiting for the server… Esc cancels.</source>
        <translation>Warte auf den Server… Esc bricht ab.</translation>
    </message>
    <message>
        <source>Waiting for a lock held by %1… Esc cancels.</source>
        <translation>Warte auf eine Sperre, die %1 hält… Esc bricht ab.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>SSL %1</source>
        <translation>SSL %1</translation>
    </message>
    <message>
        <source>no SSL</source>
        <translation>kein SSL</translation>
    </message>
    <message>
        <source>%1  ·  %2  ·  PostgreSQL %3  ·  time zone %4</source>
        <translation>%1  ·  %2  ·  PostgreSQL %3  ·  Zeitzone %4</translation>
    </message>
    <message>
        <source>Server %1
Database %2 as %3
%4
Timestamps are shown exactly as stored; new rows get the time in the session&apos;s zone, %5.</source>
        <translation>Server %1
Datenbank %2 als %3
%4
Zeitstempel werden genau so gezeigt, wie sie gespeichert sind; neue Zeilen erhalten die Zeit in der Zone der Sitzung, %5.</translation>
    </message>
    <message>
        <source>Encrypted with %1</source>
        <translation>Verschlüsselt mit %1</translation>
    </message>
    <message>
        <source>Not encrypted</source>
        <translation>Nicht verschlüsselt</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsaved change(s)</source>
        <translation>
            <numerusform>%Ln ungespeicherte Änderung</numerusform>
            <numerusform>%Ln ungespeicherte Änderungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) to delete</source>
        <translation>
            <numerusform>%Ln Zeile zu löschen</numerusform>
            <numerusform>%Ln Zeilen zu löschen</numerusform>
        </translation>
    </message>
    <message>
        <source>%L1</source>
        <translation>%L1</translation>
    </message>
    <message>
        <source>about %L1</source>
        <translation>etwa %L1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln Zeile</numerusform>
            <numerusform>%Ln Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <source>%L1 rows shown of %2</source>
        <translation>%L1 Zeilen gezeigt von %2</translation>
    </message>
    <message>
        <source>rows %L1–%L2 of %3</source>
        <translation>Zeilen %L1–%L2 von %3</translation>
    </message>
    <message>
        <source>%L1 of %2 rows</source>
        <translation>%L1 von %2 Zeilen</translation>
    </message>
    <message>
        <source>matching rows %L1–%L2</source>
        <translation>passende Zeilen %L1–%L2</translation>
    </message>
    <message>
        <source>the last %L1 matching rows</source>
        <translation>die letzten %L1 passenden Zeilen</translation>
    </message>
    <message>
        <source>%L1 matching rows</source>
        <translation>%L1 passende Zeilen</translation>
    </message>
    <message>
        <source>%1 in the table</source>
        <translation>%1 in der Tabelle</translation>
    </message>
    <message>
        <source>%1 of %L2 · %3</source>
        <translation>%1 von %L2 · %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>This server is a read-only replica (hot standby)</source>
        <translation>Dieser Server ist ein schreibgeschütztes Replikat (Hot Standby)</translation>
    </message>
    <message>
        <source>Read-only connection</source>
        <translation>Schreibgeschützte Verbindung</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Nur lesen</translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation>Offline: verbinde neu…</translation>
    </message>
    <message>
        <source>Offline: next attempt in %1 s (Ctrl+R now)</source>
        <translation>Offline: nächster Versuch in %1 s (Strg+R sofort)</translation>
    </message>
    <message>
        <source>The connection to the server was lost. Your unsaved changes are kept; Save works again once the server is back.</source>
        <translation>Die Verbindung zum Server wurde unterbrochen. Ihre ungespeicherten Änderungen bleiben erhalten; Speichern funktioniert wieder, sobald der Server zurück ist.</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Other clients&apos; changes appear at once (the table&apos;s change trigger notifies pgdesk).</source>
        <translation>Änderungen anderer Clients erscheinen sofort (der Änderungs-Trigger der Tabelle benachrichtigt pgdesk).</translation>
    </message>
    <message>
        <source>Live (polling: no notifications)</source>
        <translation>Live (Polling: keine Benachrichtigungen)</translation>
    </message>
    <message>
        <source>pgdesk checks for other clients&apos; changes every 1.5 seconds: %1.</source>
        <translation>pgdesk prüft alle 1,5 Sekunden auf Änderungen anderer Clients: %1.</translation>
    </message>
    <message>
        <source>Live (polling)</source>
        <translation>Live (Polling)</translation>
    </message>
    <message>
        <source>pgdesk checks for other clients&apos; changes every 1.5 seconds. Table ▸ Install change trigger makes them appear at once.</source>
        <translation>pgdesk prüft alle 1,5 Sekunden auf Änderungen anderer Clients. Tabelle ▸ Änderungs-Trigger installieren lässt sie sofort erscheinen.</translation>
    </message>
    <message>
        <source>Live off</source>
        <translation>Live aus</translation>
    </message>
    <message>
        <source>View ▸ Live updates turns it on; F5 refreshes by hand.</source>
        <translation>Ansicht ▸ Live-Aktualisierung schaltet es ein; F5 aktualisiert von Hand.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsaved edit(s) for rows another client deleted</source>
        <translation>
            <numerusform>%Ln ungespeicherte Änderung betrifft eine Zeile, die ein anderer Client gelöscht hat</numerusform>
            <numerusform>%Ln ungespeicherte Änderungen betreffen Zeilen, die ein anderer Client gelöscht hat</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Waiting for the server</source>
        <translation>Warte auf den Server</translation>
    </message>
    <message>
        <source>Creates a trigram index so that filtering by name is fast</source>
        <translation>Legt einen Trigramm-Index an, damit das Filtern nach Namen schnell ist</translation>
    </message>
    <message>
        <source>Rows deleted elsewhere</source>
        <translation>Anderswo gelöschte Zeilen</translation>
    </message>
    <message>
        <source>about rows %L1–%L2 of %3</source>
        <translation>Zeilen etwa %L1–%L2 von %3</translation>
    </message>
    <message>
        <source>about matching rows %L1–%L2</source>
        <translation>passende Zeilen etwa %L1–%L2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln matching row(s)</source>
        <translation>
            <numerusform>%Ln passende Zeile</numerusform>
            <numerusform>%Ln passende Zeilen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %n match(es); searching for more… Esc stops.</source>
        <translation>
            <numerusform>Der erste Treffer wird gezeigt; die Suche nach weiteren läuft… Esc hält sie an.</numerusform>
            <numerusform>Die ersten %n Treffer werden gezeigt; die Suche nach weiteren läuft… Esc hält sie an.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableBrowser</name>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Cancelled on the server; the rows shown are from before.</source>
        <translation>Auf dem Server abgebrochen; die gezeigten Zeilen sind die vorherigen.</translation>
    </message>
    <message>
        <source>Reading rows failed: %1</source>
        <translation>Lesen der Zeilen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The rows could not be read:
%1</source>
        <translation>Die Zeilen konnten nicht gelesen werden:
%1</translation>
    </message>
    <message>
        <source>No row has the name “%1”.</source>
        <translation>Keine Zeile heißt „%1“.</translation>
    </message>
    <message>
        <source>No name contains “%1”.</source>
        <translation>Kein Name enthält „%1“.</translation>
    </message>
    <message>
        <source>The table %1 has no rows.</source>
        <translation>Die Tabelle %1 hat keine Zeilen.</translation>
    </message>
    <message>
        <source>Add row (%1) adds one.</source>
        <translation>Zeile hinzufügen (%1) fügt eine hinzu.</translation>
    </message>
    <message>
        <source>Create table</source>
        <translation>Tabelle anlegen</translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>Filter leeren</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Zeile hinzufügen</translation>
    </message>
    <message>
        <source>Set to NULL</source>
        <translation>Auf NULL setzen</translation>
    </message>
    <message>
        <source>No row has “%2” in %1.</source>
        <translation>Keine Zeile hat „%2“ in %1.</translation>
    </message>
    <message>
        <source>No %1 contains “%2”.</source>
        <translation>Kein Wert in %1 enthält „%2“.</translation>
    </message>
    <message>
        <source>Rows cannot be sorted by %1: its type, %2, has no order.</source>
        <translation>Zeilen können nicht nach %1 sortiert werden: Der Typ %2 hat keine Reihenfolge.</translation>
    </message>
    <message>
        <source>Esc leaves the cell as it was.</source>
        <translation>Esc lässt die Zelle, wie sie war.</translation>
    </message>
    <message>
        <source>No row where %1 %2.</source>
        <translation>Keine Zeile, in der %1 %2.</translation>
    </message>
    <message numerus="yes">
        <source>Search stopped: the %n match(es) found so far are shown; the next page searches on.</source>
        <translation>
            <numerusform>Suche angehalten: der bisher gefundene Treffer wird gezeigt; die nächste Seite sucht weiter.</numerusform>
            <numerusform>Suche angehalten: die %n bisher gefundenen Treffer werden gezeigt; die nächste Seite sucht weiter.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableModel</name>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Edit or undo it and save again. Nothing was written; your changes are still staged.</source>
        <translation>Bearbeiten Sie sie oder machen Sie sie rückgängig und speichern Sie erneut. Es wurde nichts geschrieben; Ihre Änderungen bleiben vorgemerkt.</translation>
    </message>
    <message>
        <source>Take the other client&apos;s values</source>
        <translation>Die Werte des anderen Clients übernehmen</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>%1 (%2 characters)</source>
        <translation>%1 (%2 Zeichen)</translation>
    </message>
    <message>
        <source>The server fills this in when the row is saved.</source>
        <translation>Der Server trägt dies beim Speichern der Zeile ein.</translation>
    </message>
    <message>
        <source>Marked for deletion: Save deletes this row from the database; Undo keeps it.</source>
        <translation>Zum Löschen markiert: Speichern löscht diese Zeile aus der Datenbank; Rückgängig behält sie.</translation>
    </message>
    <message>
        <source>Changed, not saved yet. The database holds: %1</source>
        <translation>Geändert, noch nicht gespeichert. In der Datenbank steht: %1</translation>
    </message>
    <message>
        <source>New row, not saved yet.</source>
        <translation>Neue Zeile, noch nicht gespeichert.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>new row, not saved</source>
        <translation>neue Zeile, nicht gespeichert</translation>
    </message>
    <message>
        <source>marked for deletion</source>
        <translation>zum Löschen markiert</translation>
    </message>
    <message>
        <source>edited, not saved; the database holds %1</source>
        <translation>bearbeitet, nicht gespeichert; in der Datenbank steht %1</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>Standardwert des Servers</translation>
    </message>
    <message>
        <source>NULL value</source>
        <translation>NULL-Wert</translation>
    </message>
    <message>
        <source>changed elsewhere</source>
        <translation>anderswo geändert</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Cannot be sorted: this type has no order.</source>
        <translation>Nicht sortierbar: Dieser Typ hat keine Reihenfolge.</translation>
    </message>
    <message>
        <source>the row with %1 %2</source>
        <translation>die Zeile mit %1 %2</translation>
    </message>
    <message>
        <source>the row with %1 %2 (%3 &quot;%4&quot;)</source>
        <translation>die Zeile mit %1 %2 (%3 „%4“)</translation>
    </message>
    <message>
        <source>Computed by the server: read-only.</source>
        <translation>Vom Server berechnet: schreibgeschützt.</translation>
    </message>
    <message>
        <source>The table has no primary key pgdesk can use, so rows cannot be saved.</source>
        <translation>Die Tabelle hat keinen Primärschlüssel, den pgdesk nutzen kann, daher können Zeilen nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>Another client changed the columns or the primary key of the table after you edited it, so your changes could land in other cells or rows. Nothing was written: discard them and edit again.</source>
        <translation>Ein anderer Client hat die Spalten oder den Primärschlüssel der Tabelle geändert, nachdem Sie sie bearbeitet haben, daher könnten Ihre Änderungen in anderen Zellen oder Zeilen landen. Nichts wurde geschrieben: Verwerfen Sie sie und bearbeiten Sie erneut.</translation>
    </message>
</context>
<context>
    <name>TablePickerDialog</name>
    <message>
        <source>Open table</source>
        <translation>Tabelle öffnen</translation>
    </message>
    <message>
        <source>Search tables and views</source>
        <translation>Tabellen und Sichten durchsuchen</translation>
    </message>
    <message>
        <source>Search tables</source>
        <translation>Tabellen durchsuchen</translation>
    </message>
    <message>
        <source>Tables and views</source>
        <translation>Tabellen und Sichten</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Zeilen</translation>
    </message>
    <message>
        <source>Primary key</source>
        <translation>Primärschlüssel</translation>
    </message>
    <message>
        <source>Reading the database&apos;s tables…</source>
        <translation>Die Tabellen der Datenbank werden gelesen…</translation>
    </message>
    <message>
        <source>The tables could not be read: %1</source>
        <translation>Die Tabellen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>partitioned table</source>
        <translation>partitionierte Tabelle</translation>
    </message>
    <message>
        <source>view</source>
        <translation>Sicht</translation>
    </message>
    <message>
        <source>materialized view</source>
        <translation>materialisierte Sicht</translation>
    </message>
    <message>
        <source>foreign table</source>
        <translation>Fremdtabelle</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>about %L1</source>
        <translation>etwa %L1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>none: opens read-only</source>
        <translation>keiner: wird schreibgeschützt geöffnet</translation>
    </message>
    <message>
        <source>Without a primary key a row cannot be told apart from an identical one, so pgdesk does not edit it</source>
        <translation>Ohne Primärschlüssel lässt sich eine Zeile nicht von einer gleichen unterscheiden, daher bearbeitet pgdesk sie nicht</translation>
    </message>
    <message>
        <source>This database has no table or view you may read.</source>
        <translation>Diese Datenbank hat keine Tabelle und keine Sicht, die Sie lesen dürfen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln table(s) and view(s). Row counts are the server&apos;s estimates.</source>
        <translation>
            <numerusform>%Ln Tabelle oder Sicht. Die Zeilenzahlen sind Schätzungen des Servers.</numerusform>
            <numerusform>%Ln Tabellen und Sichten. Die Zeilenzahlen sind Schätzungen des Servers.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open in &amp;new window</source>
        <translation>In &amp;neuem Fenster öffnen</translation>
    </message>
    <message>
        <source>Open the table in this window, in place of %1</source>
        <translation>Die Tabelle in diesem Fenster öffnen, anstelle von %1</translation>
    </message>
    <message>
        <source>Open the table in a window of its own, beside this one (Ctrl+Enter)</source>
        <translation>Die Tabelle in einem eigenen Fenster neben diesem öffnen (Strg+Eingabe)</translation>
    </message>
</context>
<context>
    <name>TableSwitcher</name>
    <message>
        <source>Open &amp;table…</source>
        <translation>&amp;Tabelle öffnen…</translation>
    </message>
    <message>
        <source>Open another table or view of this database (%1)</source>
        <translation>Eine andere Tabelle oder Sicht dieser Datenbank öffnen (%1)</translation>
    </message>
    <message>
        <source>Save them before opening another table?</source>
        <translation>Vor dem Öffnen einer anderen Tabelle speichern?</translation>
    </message>
    <message>
        <source>Open table</source>
        <translation>Tabelle öffnen</translation>
    </message>
    <message>
        <source>%1 is no longer in the database; nothing was opened.</source>
        <translation>%1 ist nicht mehr in der Datenbank; es wurde nichts geöffnet.</translation>
    </message>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation>%1 konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>%1 geöffnet.</translation>
    </message>
    <message>
        <source>Opened %1 in a new window.</source>
        <translation>%1 in einem neuen Fenster geöffnet.</translation>
    </message>
</context>
<context>
    <name>TableWriter</name>
    <message>
        <source>Could not start a transaction: %1</source>
        <translation>Transaktion konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>Committing failed: %1</source>
        <translation>Commit fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Saving was cancelled.</source>
        <translation>Das Speichern wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Nothing was written; your changes are still staged.</source>
        <translation>Es wurde nichts geschrieben; Ihre Änderungen bleiben vorgemerkt.</translation>
    </message>
    <message>
        <source>Deleting was cancelled.</source>
        <translation>Das Löschen wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Saving %1 failed: %2</source>
        <translation>Speichern fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>Saving %1 failed: the row no longer exists (another client deleted it).</source>
        <translation>Speichern fehlgeschlagen (%1): Die Zeile existiert nicht mehr (ein anderer Client hat sie gelöscht).</translation>
    </message>
    <message>
        <source>Saving %1 stopped: another client changed it after you read it.</source>
        <translation>Speichern angehalten (%1): Ein anderer Client hat die Zeile geändert, nachdem Sie sie gelesen haben.</translation>
    </message>
    <message>
        <source>Saving new row %1 failed: %2</source>
        <translation>Speichern der neuen Zeile %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Deleting %1 failed: %2</source>
        <translation>Löschen fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>Deleting %1 stopped: another client changed it after you read it.</source>
        <translation>Löschen angehalten (%1): Ein anderer Client hat die Zeile geändert, nachdem Sie sie gelesen haben.</translation>
    </message>
    <message>
        <source>The table has no primary key pgdesk can use, so rows cannot be saved.</source>
        <translation>Die Tabelle hat keinen Primärschlüssel, den pgdesk nutzen kann, daher können Zeilen nicht gespeichert werden.</translation>
    </message>
    <message numerus="yes">
        <source>Saving %1 stopped: it matched %n rows, so the primary key no longer names one row (another client changed the table).</source>
        <translation>
            <numerusform>Speichern von %1 abgebrochen: Es traf %n Zeile, der Primärschlüssel bezeichnet also keine einzelne Zeile mehr (ein anderer Client hat die Tabelle geändert).</numerusform>
            <numerusform>Speichern von %1 abgebrochen: Es traf %n Zeilen, der Primärschlüssel bezeichnet also keine einzelne Zeile mehr (ein anderer Client hat die Tabelle geändert).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting stopped: the rows picked matched %n rows, so the primary key no longer names one row (another client changed the table). Nothing was deleted.</source>
        <translation>
            <numerusform>Löschen abgebrochen: Die gewählten Zeilen trafen %n Zeile, der Primärschlüssel bezeichnet also keine einzelne Zeile mehr (ein anderer Client hat die Tabelle geändert). Nichts wurde gelöscht.</numerusform>
            <numerusform>Löschen abgebrochen: Die gewählten Zeilen trafen %n Zeilen, der Primärschlüssel bezeichnet also keine einzelne Zeile mehr (ein anderer Client hat die Tabelle geändert). Nichts wurde gelöscht.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimestampEdit</name>
    <message>
        <source>Microseconds</source>
        <translation>Mikrosekunden</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Datum und Uhrzeit</translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message>
        <source>Import failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>CSV or text (*.csv *.txt);;All files (*)</source>
        <translation>CSV oder Text (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Importing %1</source>
        <translation>Importiere %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Nothing was exported.</source>
        <translation>Es wurde nichts exportiert.</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>Als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>in the grid&apos;s order: by %1, ascending</source>
        <translation>in der Reihenfolge des Rasters: nach %1, aufsteigend</translation>
    </message>
    <message>
        <source>in the grid&apos;s order: by %1, descending</source>
        <translation>in der Reihenfolge des Rasters: nach %1, absteigend</translation>
    </message>
    <message>
        <source>only rows named “%1”</source>
        <translation>nur Zeilen mit dem Namen „%1“</translation>
    </message>
    <message>
        <source>only names containing “%1”</source>
        <translation>nur Namen, die „%1“ enthalten</translation>
    </message>
    <message>
        <source>Exporting to %1</source>
        <translation>Exportiere nach %1</translation>
    </message>
    <message>
        <source>Exporting to %1, %2</source>
        <translation>Exportiere nach %1, %2</translation>
    </message>
    <message>
        <source>Rows %1.</source>
        <translation>Zeilen %1.</translation>
    </message>
    <message>
        <source>Unsaved changes are not in the file.</source>
        <translation>Ungespeicherte Änderungen sind nicht in der Datei.</translation>
    </message>
    <message>
        <source>only rows whose %1 is “%2”</source>
        <translation>nur Zeilen, deren %1 „%2“ ist</translation>
    </message>
    <message>
        <source>only rows whose %1 contains “%2”</source>
        <translation>nur Zeilen, deren %1 „%2“ enthält</translation>
    </message>
    <message>
        <source>only rows where %1 %2</source>
        <translation>nur Zeilen, in denen %1 %2</translation>
    </message>
    <message>
        <source>Import rows</source>
        <translation>Zeilen importieren</translation>
    </message>
    <message>
        <source>Importing %1, skipping rows whose %2 is already in the table</source>
        <translation>Importiere %1 und überspringe Zeilen, deren %2 schon in der Tabelle steht</translation>
    </message>
    <message>
        <source>The table changed while the preview was open. Nothing was imported: import the file again.</source>
        <translation>Die Tabelle hat sich geändert, während die Vorschau offen war. Nichts wurde importiert: Importieren Sie die Datei erneut.</translation>
    </message>
    <message>
        <source>The table became read-only while the preview was open. Nothing was imported.</source>
        <translation>Die Tabelle wurde schreibgeschützt, während die Vorschau offen war. Nichts wurde importiert.</translation>
    </message>
</context>
<context>
    <name>TransferProgressDialog</name>
    <message>
        <source>Transfer</source>
        <translation>Übertragung</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 Zeile</translation>
    </message>
    <message>
        <source>%L1 rows</source>
        <translation>%L1 Zeilen</translation>
    </message>
    <message>
        <source>%L1 rows/s</source>
        <translation>%L1 Zeilen/s</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Breche ab…</translation>
    </message>
    <message>
        <source>Transfer progress</source>
        <translation>Fortschritt der Übertragung</translation>
    </message>
</context>
<context>
    <name>ValueCheck</name>
    <message>
        <source>A UUID: 32 hexadecimal digits, e.g. a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.</source>
        <translation>Eine UUID: 32 Hexadezimalziffern, z. B. a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.</translation>
    </message>
    <message>
        <source>JSON, e.g. {&quot;key&quot;: [1, &quot;two&quot;, null]}.</source>
        <translation>JSON, z. B. {&quot;key&quot;: [1, &quot;two&quot;, null]}.</translation>
    </message>
    <message numerus="yes">
        <source>At most %n character(s).</source>
        <translation>
            <numerusform>Höchstens %n Zeichen.</numerusform>
            <numerusform>Höchstens %n Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not a UUID. %1</source>
        <translation>Keine UUID. %1</translation>
    </message>
    <message>
        <source>Not valid JSON at character %1: %2.</source>
        <translation>Kein gültiges JSON bei Zeichen %1: %2.</translation>
    </message>
    <message numerus="yes">
        <source>Too long for %1: it takes at most %n character(s), this has %2.</source>
        <translation>
            <numerusform>Zu lang für %1: höchstens %n Zeichen, dies hat %2.</numerusform>
            <numerusform>Zu lang für %1: höchstens %n Zeichen, dies hat %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>more text follows the value</source>
        <translation>nach dem Wert folgt weiterer Text</translation>
    </message>
    <message>
        <source>the text ends before the value does</source>
        <translation>der Text endet, bevor der Wert endet</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not expected here</source>
        <translation>„%1“ ist hier nicht erwartet</translation>
    </message>
    <message>
        <source>a key must be a string in double quotes</source>
        <translation>ein Schlüssel muss eine Zeichenkette in doppelten Anführungszeichen sein</translation>
    </message>
    <message>
        <source>a &quot;:&quot; must follow the key</source>
        <translation>auf den Schlüssel muss ein „:“ folgen</translation>
    </message>
    <message>
        <source>a &quot;,&quot; or &quot;}&quot; must follow a value in an object</source>
        <translation>auf einen Wert in einem Objekt muss „,“ oder „}“ folgen</translation>
    </message>
    <message>
        <source>a &quot;,&quot; or &quot;]&quot; must follow a value in an array</source>
        <translation>auf einen Wert in einem Array muss „,“ oder „]“ folgen</translation>
    </message>
    <message>
        <source>only true, false and null are written without quotes</source>
        <translation>nur true, false und null stehen ohne Anführungszeichen</translation>
    </message>
    <message>
        <source>a number is written as digits with an optional &quot;-&quot;, &quot;.&quot; and exponent, no leading zero</source>
        <translation>eine Zahl besteht aus Ziffern mit optionalem „-“, „.“ und Exponenten, ohne führende Null</translation>
    </message>
    <message>
        <source>a string is not closed with &quot;</source>
        <translation>eine Zeichenkette ist nicht mit &quot; abgeschlossen</translation>
    </message>
    <message>
        <source>a \u escape of a high surrogate must be followed by one of a low surrogate</source>
        <translation>auf ein \u-Escape eines hohen Surrogats muss eines eines niedrigen Surrogats folgen</translation>
    </message>
    <message>
        <source>a control character in a string must be written as an escape, e.g. \n or \u%1</source>
        <translation>ein Steuerzeichen in einer Zeichenkette muss als Escape geschrieben werden, z. B. \n oder \u%1</translation>
    </message>
    <message>
        <source>\u must be followed by four hexadecimal digits</source>
        <translation>auf \u müssen vier Hexadezimalziffern folgen</translation>
    </message>
    <message>
        <source>a \u escape of a low surrogate must follow one of a high surrogate</source>
        <translation>ein \u-Escape eines niedrigen Surrogats muss auf eines eines hohen Surrogats folgen</translation>
    </message>
    <message>
        <source>jsonb cannot hold \u0000</source>
        <translation>jsonb kann \u0000 nicht aufnehmen</translation>
    </message>
    <message>
        <source>\%1 is not an escape JSON knows</source>
        <translation>\%1 ist kein Escape, das JSON kennt</translation>
    </message>
    <message>
        <source>Not valid JSON at line %1, character %2: %3.</source>
        <translation>Kein gültiges JSON in Zeile %1, Zeichen %2: %3.</translation>
    </message>
    <message>
        <source>An array, e.g. {1,2,3} or {&quot;a, b&quot;,NULL}: quote an element that holds a comma, a brace, a quote or spaces at its ends, and write \ before a quote or backslash inside it.</source>
        <translation>Ein Array, z. B. {1,2,3} oder {&quot;a, b&quot;,NULL}: Setzen Sie ein Element in Anführungszeichen, wenn es ein Komma, eine Klammer, ein Anführungszeichen oder Leerzeichen an den Enden enthält, und schreiben Sie \ vor ein Anführungszeichen oder einen Backslash darin.</translation>
    </message>
    <message>
        <source>Not an array: it starts with &quot;{&quot;. %1</source>
        <translation>Kein Array: Es beginnt mit &quot;{&quot;. %1</translation>
    </message>
    <message>
        <source>Nothing may follow the array&apos;s last &quot;}&quot; (character %1).</source>
        <translation>Nach der letzten &quot;}&quot; des Arrays darf nichts folgen (Zeichen %1).</translation>
    </message>
    <message>
        <source>An array has at most 6 dimensions.</source>
        <translation>Ein Array hat höchstens 6 Dimensionen.</translation>
    </message>
    <message>
        <source>A comma or &quot;}&quot; must follow an element or a sub-array (character %1).</source>
        <translation>Nach einem Element oder Teil-Array muss ein Komma oder &quot;}&quot; folgen (Zeichen %1).</translation>
    </message>
    <message>
        <source>An element is missing before character %1; write &quot;&quot; for an empty text.</source>
        <translation>Vor Zeichen %1 fehlt ein Element; schreiben Sie &quot;&quot; für einen leeren Text.</translation>
    </message>
    <message>
        <source>The array ends inside an escape: a backslash is its last character.</source>
        <translation>Das Array endet in einer Escape-Sequenz: Ein Backslash ist sein letztes Zeichen.</translation>
    </message>
    <message>
        <source>A quoted element of the array is not closed: a &quot;&quot;&quot; is missing.</source>
        <translation>Ein Element des Arrays in Anführungszeichen ist nicht geschlossen: Ein &quot;&quot;&quot; fehlt.</translation>
    </message>
    <message>
        <source>Element %1 of the array: %2</source>
        <translation>Element %1 des Arrays: %2</translation>
    </message>
    <message>
        <source>The array is not closed: a &quot;}&quot; is missing.</source>
        <translation>Das Array ist nicht geschlossen: Eine &quot;}&quot; fehlt.</translation>
    </message>
</context>
<context>
    <name>ValueText</name>
    <message numerus="yes">
        <source>%1… (%Ln bytes)</source>
        <translation>
            <numerusform>%1… (%Ln Byte)</numerusform>
            <numerusform>%1… (%Ln Bytes)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WholeTableScrollBar</name>
    <message>
        <source>about row %1 of %2</source>
        <translation>Zeile etwa %1 von %2</translation>
    </message>
    <message>
        <source>row %1 of %2</source>
        <translation>Zeile %1 von %2</translation>
    </message>
</context>
<context>
    <name>WindowLoader</name>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Edit a PostgreSQL table configured by a .env file (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE, PG_SSLMODE, PG_TABLE).
Without --env, ./.env is read, then ~/.config/pgdesk/.env; PGHOST and the other libpq variables fill in what the file leaves out.</source>
        <translation>Eine PostgreSQL-Tabelle bearbeiten, die über eine .env-Datei eingerichtet ist (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE, PG_SSLMODE, PG_TABLE).
Ohne --env wird ./.env gelesen, dann ~/.config/pgdesk/.env; PGHOST und die anderen libpq-Variablen ergänzen, was die Datei offenlässt.</translation>
    </message>
    <message>
        <source>Displays version information.</source>
        <translation>Zeigt Versionsinformationen an.</translation>
    </message>
    <message>
        <source>Read connection settings from FILE instead of searching for .env.</source>
        <translation>Verbindungseinstellungen aus FILE lesen, statt nach .env zu suchen.</translation>
    </message>
    <message>
        <source>Show the window in LANG (en, de, fr) instead of the language chosen in View ▸ Language or the system&apos;s.</source>
        <translation>Das Fenster in LANG (en, de, fr) zeigen statt in der unter Ansicht ▸ Sprache gewählten oder der Sprache des Systems.</translation>
    </message>
    <message>
        <source>A command from the list above; none opens the window.</source>
        <translation>Ein Befehl aus der Liste oben; ohne Befehl öffnet sich das Fenster.</translation>
    </message>
</context>
</TS>
