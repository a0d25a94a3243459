<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About pgdesk</source>
        <translation>À propos de pgdesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;pgdesk %1&lt;/b&gt;&lt;p&gt;A desktop editor for one PostgreSQL table, configured from a .env file.&lt;/p&gt;&lt;p&gt;Running on Qt %2 and libpq %3.&lt;/p&gt;</source>
        <translation>&lt;b&gt;pgdesk %1&lt;/b&gt;&lt;p&gt;Un éditeur de bureau pour une table PostgreSQL, configuré par un fichier .env.&lt;/p&gt;&lt;p&gt;Fonctionne avec Qt %2 et libpq %3.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>CellFile</name>
    <message>
        <source>Replace the current cell with a file: its bytes in a bytea column, its UTF-8 text in a text column; Save writes it</source>
        <translation>Remplacer la cellule courante par un fichier : ses octets dans une colonne bytea, son texte UTF-8 dans une colonne de texte ; Enregistrer l’écrit</translation>
    </message>
    <message>
        <source>Write the current cell to a file: a bytea&apos;s bytes, any other value as UTF-8 text</source>
        <translation>Écrire la cellule courante dans un fichier : les octets d’un bytea, toute autre valeur en texte UTF-8</translation>
    </message>
    <message>
        <source>Load %1 from a file</source>
        <translation>Charger %1 depuis un fichier</translation>
    </message>
    <message>
        <source>Load failed</source>
        <translation>Échec du chargement</translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>It is not UTF-8 text, which a %1 column holds. A bytea column takes any file.</source>
        <translation>Ce n’est pas du texte UTF-8, que contient une colonne %1. Une colonne bytea accepte tout fichier.</translation>
    </message>
    <message>
        <source>It holds a zero byte, which PostgreSQL text cannot hold. A bytea column takes any file.</source>
        <translation>Il contient un octet nul, que le texte PostgreSQL ne peut pas contenir. Une colonne bytea accepte tout fichier.</translation>
    </message>
    <message>
        <source>%1 cannot go into %2. %3 The cell was not changed.</source>
        <translation>%1 ne peut pas aller dans %2. %3 La cellule n’a pas été modifiée.</translation>
    </message>
    <message>
        <source>The row is no longer in the grid, so nothing was changed. Load the file on it again.</source>
        <translation>La ligne n’est plus dans la grille, rien n’a donc été modifié. Chargez de nouveau le fichier sur elle.</translation>
    </message>
    <message>
        <source>The cell cannot be edited now, so nothing was changed.</source>
        <translation>La cellule ne peut pas être modifiée maintenant, rien n’a donc été modifié.</translation>
    </message>
    <message>
        <source>Loaded %1 from %2 into %3; Save writes it.</source>
        <translation>%1 chargés de %2 dans %3 ; Enregistrer l’écrit.</translation>
    </message>
    <message>
        <source>%1 has no value yet (NULL or the default), so there is nothing to save.</source>
        <translation>%1 n’a pas encore de valeur (NULL ou la valeur par défaut), il n’y a donc rien à enregistrer.</translation>
    </message>
    <message>
        <source>%1 is NULL, so there is nothing to save.</source>
        <translation>%1 vaut NULL, il n’y a donc rien à enregistrer.</translation>
    </message>
    <message>
        <source>Save to file failed</source>
        <translation>Échec de l’enregistrement dans le fichier</translation>
    </message>
    <message>
        <source>%1 holds bytes typed in bytea&apos;s escape form, which only the server reads exactly. Save the row first, then save the cell to a file.</source>
        <translation>%1 contient des octets saisis sous la forme d’échappement de bytea, que seul le serveur lit exactement. Enregistrez d’abord la ligne, puis la cellule dans un fichier.</translation>
    </message>
    <message>
        <source>Save %1 to a file</source>
        <translation>Enregistrer %1 dans un fichier</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
    <message>
        <source>Saved %1 of %2 to %3.</source>
        <translation>%1 de %2 enregistrés dans %3.</translation>
    </message>
    <message>
        <source>Load cell &amp;from file…</source>
        <translation>Charger la cellule depuis un &amp;fichier…</translation>
    </message>
    <message>
        <source>Sa&amp;ve cell to file…</source>
        <translation>Enregistrer la cellule dans un fic&amp;hier…</translation>
    </message>
    <message>
        <source>%1 is not a regular file. The cell was not changed.</source>
        <translation>%1 n’est pas un fichier ordinaire. La cellule n’a pas été modifiée.</translation>
    </message>
    <message>
        <source>%1 is larger than %2, the most pgdesk loads into a cell. The cell was not changed.</source>
        <translation>%1 dépasse %2, le maximum que pgdesk charge dans une cellule. La cellule n’a pas été modifiée.</translation>
    </message>
    <message>
        <source>%1 holds hex the server would refuse: an odd number of digits, or a character that is not a hex digit between them. Correct the cell first.</source>
        <translation>%1 contient de l’hexadécimal que le serveur refuserait : un nombre impair de chiffres, ou un caractère entre eux qui n’est pas un chiffre hexadécimal. Corrigez d’abord la cellule.</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connect to PostgreSQL</source>
        <translation>Connexion à PostgreSQL</translation>
    </message>
    <message>
        <source>Rece&amp;nt:</source>
        <translation>Réce&amp;ntes :</translation>
    </message>
    <message>
        <source>Connections that worked before, most recent first. Choosing one fills in the fields; passwords are not kept here (only in the system keychain, when &quot;Remember password&quot; was ticked)</source>
        <translation>Les connexions qui ont déjà fonctionné, la plus récente d’abord. En choisir une remplit les champs ; les mots de passe n’y sont pas gardés (seulement dans le trousseau du système, si « Mémoriser le mot de passe » était coché)</translation>
    </message>
    <message>
        <source>Choose a recent connection</source>
        <translation>Choisir une connexion récente</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Oublier</translation>
    </message>
    <message>
        <source>Remove the chosen connection from the recent list (and its password from the system keychain, if one is remembered)</source>
        <translation>Retirer la connexion choisie de la liste des récentes (et son mot de passe du trousseau du système, s’il y est mémorisé)</translation>
    </message>
    <message>
        <source>&amp;URI:</source>
        <translation>&amp;URI :</translation>
    </message>
    <message>
        <source>Paste the postgres:// URI your hosting platform gives you (DATABASE_URL): it is split into the fields below. What the URI names wins over PG_* keys; they fill in what it leaves out.</source>
        <translation>Collez l’URI postgres:// fournie par votre hébergeur (DATABASE_URL) : elle est répartie dans les champs ci-dessous. Ce que l’URI indique l’emporte sur les clés PG_* ; celles-ci complètent ce qu’elle omet.</translation>
    </message>
    <message>
        <source>paste a postgres://user:password@host:5432/database?sslmode=require URI to fill the fields</source>
        <translation>collez une URI postgres://user:password@host:5432/database?sslmode=require pour remplir les champs</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Hôte :</translation>
    </message>
    <message>
        <source>PG_HOST: the server&apos;s name or address; empty uses the local socket</source>
        <translation>PG_HOST : nom ou adresse du serveur ; vide, le socket local est utilisé</translation>
    </message>
    <message>
        <source>local socket</source>
        <translation>socket local</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port :</translation>
    </message>
    <message>
        <source>PG_PORT: the server&apos;s TCP port, usually 5432</source>
        <translation>PG_PORT : le port TCP du serveur, en général 5432</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <source>PG_USER: the role to log in as</source>
        <translation>PG_USER : le rôle avec lequel se connecter</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <source>PG_PASSWORD: never written to disk by pgdesk</source>
        <translation>PG_PASSWORD : jamais écrit sur le disque par pgdesk</translation>
    </message>
    <message>
        <source>&amp;Remember password in the system keychain</source>
        <translation>&amp;Mémoriser le mot de passe dans le trousseau du système</translation>
    </message>
    <message>
        <source>Stores the password in the system keychain (Secret Service, KWallet, macOS Keychain or Windows Credential Manager) after connecting. Unticked, pgdesk forgets a remembered password. pgdesk never writes it to a file.</source>
        <translation>Range le mot de passe dans le trousseau du système (Secret Service, KWallet, trousseau macOS ou gestionnaire d’identification Windows) après la connexion. Décoché, pgdesk oublie un mot de passe mémorisé. pgdesk ne l’écrit jamais dans un fichier.</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de données :</translation>
    </message>
    <message>
        <source>PG_DATABASE: the database holding the table</source>
        <translation>PG_DATABASE : la base de données qui contient la table</translation>
    </message>
    <message>
        <source>SSL mode:</source>
        <translation>Mode SSL :</translation>
    </message>
    <message>
        <source>PG_SSLMODE: how the connection is encrypted and whether the server is verified</source>
        <translation>PG_SSLMODE : comment la connexion est chiffrée et si le serveur est vérifié</translation>
    </message>
    <message>
        <source>Root certificate:</source>
        <translation>Certificat racine :</translation>
    </message>
    <message>
        <source>PG_SSLROOTCERT: the CA certificate that signed the server&apos;s certificate (verify-ca, verify-full)</source>
        <translation>PG_SSLROOTCERT : le certificat d’AC qui a signé le certificat du serveur (verify-ca, verify-full)</translation>
    </message>
    <message>
        <source>none: ~/.postgresql/root.crt if present, else the system&apos;s trusted CAs</source>
        <translation>aucun : ~/.postgresql/root.crt s’il existe, sinon les AC de confiance du système</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the root certificate file</source>
        <translation>Choisir le fichier du certificat racine</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>Certificat client :</translation>
    </message>
    <message>
        <source>PG_SSLCERT: the client certificate for servers whose pg_hba.conf says &quot;cert&quot;</source>
        <translation>PG_SSLCERT : le certificat client pour les serveurs dont le pg_hba.conf indique « cert »</translation>
    </message>
    <message>
        <source>none (libpq default ~/.postgresql/postgresql.crt)</source>
        <translation>aucun (par défaut de libpq ~/.postgresql/postgresql.crt)</translation>
    </message>
    <message>
        <source>Choose the client certificate file</source>
        <translation>Choisir le fichier du certificat client</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>Clé client :</translation>
    </message>
    <message>
        <source>PG_SSLKEY: the private key of the client certificate; libpq wants it readable by you alone (chmod 600)</source>
        <translation>PG_SSLKEY : la clé privée du certificat client ; libpq exige qu’elle ne soit lisible que par vous (chmod 600)</translation>
    </message>
    <message>
        <source>none (libpq default ~/.postgresql/postgresql.key)</source>
        <translation>aucune (par défaut de libpq ~/.postgresql/postgresql.key)</translation>
    </message>
    <message>
        <source>Choose the client key file</source>
        <translation>Choisir le fichier de la clé client</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service :</translation>
    </message>
    <message>
        <source>PG_SERVICE or $PGSERVICE: a service of pg_service.conf; its values fill in what the fields above leave at their defaults</source>
        <translation>PG_SERVICE ou $PGSERVICE : un service de pg_service.conf ; ses valeurs complètent ce que les champs ci-dessus laissent par défaut</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Table:</source>
        <translation>Table :</translation>
    </message>
    <message>
        <source>PG_TABLE: the table to open, optionally schema.table</source>
        <translation>PG_TABLE : la table à ouvrir, éventuellement schéma.table</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Tester</translation>
    </message>
    <message>
        <source>Connect once with these values and report the server version and SSL, without closing this dialog</source>
        <translation>Se connecter une fois avec ces valeurs et indiquer la version du serveur et le SSL, sans fermer cette fenêtre</translation>
    </message>
    <message>
        <source>Save as .&amp;env…</source>
        <translation>Enregistrer en .&amp;env…</translation>
    </message>
    <message>
        <source>Write these values to a .env file (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE…) readable only by you; you are asked before the password is written</source>
        <translation>Écrire ces valeurs dans un fichier .env (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE…) lisible par vous seul ; une confirmation est demandée avant d’écrire le mot de passe</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>No .env file was found (looked for %1). Values come from the environment and defaults.</source>
        <translation>Aucun fichier .env trouvé (cherché : %1). Les valeurs viennent de l’environnement et des valeurs par défaut.</translation>
    </message>
    <message>
        <source>Values read from %1</source>
        <translation>Valeurs lues dans %1</translation>
    </message>
    <message>
        <source>The connection URI in %1 wins over PG_* keys for every part it names.</source>
        <translation>L’URI de connexion de %1 l’emporte sur les clés PG_* pour chaque partie qu’elle indique.</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Clé client</translation>
    </message>
    <message>
        <source>The password will not be remembered.</source>
        <translation>Le mot de passe ne sera pas mémorisé.</translation>
    </message>
    <message>
        <source>from the system keychain</source>
        <translation>du trousseau du système</translation>
    </message>
    <message>
        <source>from %1 (libpq reads it)</source>
        <translation>de %1 (libpq le lit)</translation>
    </message>
    <message>
        <source>Not encrypted: passwords and rows cross the network in clear text.</source>
        <translation>Non chiffrée : mots de passe et lignes circulent en clair.</translation>
    </message>
    <message>
        <source>Encrypted only if the server offers it; the server&apos;s identity is not checked.</source>
        <translation>Chiffrée si le serveur le propose ; serveur non vérifié.</translation>
    </message>
    <message>
        <source>Encrypted, but the server&apos;s identity is not checked: use verify-full to be sure who you talk to.</source>
        <translation>Chiffrée, mais serveur non vérifié : verify-full le vérifie.</translation>
    </message>
    <message>
        <source>Encrypted; the server&apos;s certificate must be signed by the root certificate below.</source>
        <translation>Chiffrée ; certificat du serveur signé par la racine ci-dessous.</translation>
    </message>
    <message>
        <source>Encrypted; the certificate must be signed by the root certificate and match the host name.</source>
        <translation>Chiffrée ; certificat signé par la racine et au nom de l’hôte.</translation>
    </message>
    <message>
        <source>pasted URI</source>
        <translation>URI collée</translation>
    </message>
    <message>
        <source>recent connection</source>
        <translation>connexion récente</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>SSL in use (%1)</source>
        <translation>SSL utilisé (%1)</translation>
    </message>
    <message>
        <source>SSL not in use</source>
        <translation>SSL non utilisé</translation>
    </message>
    <message>
        <source>Connected: PostgreSQL %1, %2.</source>
        <translation>Connecté : PostgreSQL %1, %2.</translation>
    </message>
    <message>
        <source>The pasted URI cannot be used: %1.</source>
        <translation>L’URI collée est inutilisable : %1.</translation>
    </message>
    <message>
        <source>The URI was split into the fields (%1).</source>
        <translation>L’URI a été répartie dans les champs (%1).</translation>
    </message>
    <message>
        <source>Certificates and keys (*.crt *.pem *.key);;All files (*)</source>
        <translation>Certificats et clés (*.crt *.pem *.key);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Root certificate</source>
        <translation>Certificat racine</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>Certificats (*.crt *.pem *.cer);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>%1 was removed from the recent connections.</source>
        <translation>%1 a été retirée des connexions récentes.</translation>
    </message>
    <message>
        <source>Save as .env</source>
        <translation>Enregistrer en .env</translation>
    </message>
    <message>
        <source>Environment files (.env *.env);;All files (*)</source>
        <translation>Fichiers d’environnement (.env *.env);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>Remplacer le fichier ?</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 existe déjà. Le remplacer ?</translation>
    </message>
    <message>
        <source>Write the password?</source>
        <translation>Écrire le mot de passe ?</translation>
    </message>
    <message>
        <source>Write the password into %1 as PG_PASSWORD?

The file will be readable only by you, but anyone who gets a copy of it can connect as %2. No leaves it out; pgdesk or your program will then need it from elsewhere (the keychain, ~/.pgpass or $PGPASSWORD).</source>
        <translation>Écrire le mot de passe dans %1 comme PG_PASSWORD ?

Le fichier ne sera lisible que par vous, mais quiconque en obtient une copie peut se connecter en tant que %2. « Non » l’omet ; pgdesk ou votre programme devra alors le trouver ailleurs (trousseau, ~/.pgpass ou $PGPASSWORD).</translation>
    </message>
    <message>
        <source>this user</source>
        <translation>cet utilisateur</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Non enregistré</translation>
    </message>
    <message>
        <source>%1 was not written: a .env file cannot hold the value of %2 exactly (&quot;${…}&quot; is expanded by python-dotenv, and a quoted value cannot end in a backslash).</source>
        <translation>%1 n’a pas été écrit : un fichier .env ne peut pas contenir exactement la valeur de %2 (« ${…} » est développé par python-dotenv, et une valeur entre guillemets ne peut pas finir par une barre oblique inverse).</translation>
    </message>
    <message>
        <source>%1 could not be written: %2.</source>
        <translation>%1 n’a pas pu être écrit : %2.</translation>
    </message>
    <message>
        <source>Saved to %1 (readable only by you).</source>
        <translation>Enregistré dans %1 (lisible par vous seul).</translation>
    </message>
    <message>
        <source>Saved to %1 without the password (readable only by you).</source>
        <translation>Enregistré dans %1 sans le mot de passe (lisible par vous seul).</translation>
    </message>
    <message>
        <source>Recent connections</source>
        <translation>Connexions récentes</translation>
    </message>
    <message>
        <source>Forget recent connection</source>
        <translation>Oublier la connexion récente</translation>
    </message>
    <message>
        <source>Connection URI</source>
        <translation>URI de connexion</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Remember password</source>
        <translation>Mémoriser le mot de passe</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>SSL mode</source>
        <translation>Mode SSL</translation>
    </message>
    <message>
        <source>Choose root certificate file</source>
        <translation>Choisir le fichier du certificat racine</translation>
    </message>
    <message>
        <source>Choose client certificate file</source>
        <translation>Choisir le fichier du certificat client</translation>
    </message>
    <message>
        <source>Choose client key file</source>
        <translation>Choisir le fichier de la clé client</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>Connection settings</source>
        <translation>Paramètres de connexion</translation>
    </message>
</context>
<context>
    <name>ConnectionWatcher</name>
    <message>
        <source>The server no longer serves this connection (process %1).</source>
        <translation>Le serveur ne sert plus cette connexion (processus %1).</translation>
    </message>
    <message>
        <source>The server did not answer within %1 s.</source>
        <translation>Le serveur n’a pas répondu dans les %1 s.</translation>
    </message>
</context>
<context>
    <name>CopyTransfer</name>
    <message>
        <source>The PostgreSQL driver does not give access to its connection, which COPY needs.</source>
        <translation>Le pilote PostgreSQL ne donne pas accès à sa connexion, ce dont COPY a besoin.</translation>
    </message>
    <message>
        <source>The connection is not ready for COPY: %1</source>
        <translation>La connexion n’est pas prête pour COPY : %1</translation>
    </message>
    <message>
        <source>the server did not say why</source>
        <translation>le serveur n’a pas dit pourquoi</translation>
    </message>
</context>
<context>
    <name>CsvExporter</name>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>Export annulé : aucun fichier n’a été écrit.</translation>
    </message>
    <message>
        <source>No file was written.</source>
        <translation>Aucun fichier n’a été écrit.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>Impossible d’écrire %1 : %2.</translation>
    </message>
    <message>
        <source>The server refused the export: %1</source>
        <translation>Le serveur a refusé l’export : %1</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2.</source>
        <translation>L’écriture de %1 a échoué : %2.</translation>
    </message>
    <message>
        <source>The server stopped the export: %1</source>
        <translation>Le serveur a arrêté l’export : %1</translation>
    </message>
    <message>
        <source>Exported 1 row to %1.</source>
        <translation>1 ligne exportée vers %1.</translation>
    </message>
    <message>
        <source>Exported %L1 rows to %2.</source>
        <translation>%L1 lignes exportées vers %2.</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>Line %1: column %2 of the header has no name.</source>
        <translation>Ligne %1 : la colonne %2 de l’en-tête n’a pas de nom.</translation>
    </message>
    <message>
        <source>Line %1: the header names the column %2, which pgdesk does not import.</source>
        <translation>Ligne %1 : l’en-tête nomme la colonne %2, que pgdesk n’importe pas.</translation>
    </message>
    <message>
        <source>A CSV file starts with a line naming its columns: name, and optionally date (id is ignored). A file of names without such a line imports as text.</source>
        <translation>Un fichier CSV commence par une ligne qui nomme ses colonnes : name, et éventuellement date (id est ignoré). Un fichier de noms sans cette ligne est importé comme texte.</translation>
    </message>
    <message>
        <source>Line %1: the header names the column %2 twice.</source>
        <translation>Ligne %1 : l’en-tête nomme deux fois la colonne %2.</translation>
    </message>
    <message>
        <source>Line %1: the header does not name the column name. A CSV file starts with a line naming its columns: name, and optionally date (id is ignored). A file of names without such a line imports as text.</source>
        <translation>Ligne %1 : l’en-tête ne nomme pas la colonne name. Un fichier CSV commence par une ligne qui nomme ses colonnes : name, et éventuellement date (id est ignoré). Un fichier de noms sans cette ligne est importé comme texte.</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Ligne %1 : %2</translation>
    </message>
    <message>
        <source>The server refused the import: %1</source>
        <translation>Le serveur a refusé l’import : %1</translation>
    </message>
    <message>
        <source>Import cancelled: nothing was written.</source>
        <translation>Import annulé : rien n’a été écrit.</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Rien n’a été importé.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>Impossible de lire %1 : %2.</translation>
    </message>
    <message>
        <source>Reading %1 failed: %2.</source>
        <translation>La lecture de %1 a échoué : %2.</translation>
    </message>
    <message>
        <source>The file is empty. A CSV file starts with a line naming its columns: name, and optionally date.</source>
        <translation>Le fichier est vide. Un fichier CSV commence par une ligne qui nomme ses colonnes : name, et éventuellement date.</translation>
    </message>
    <message>
        <source>The connection failed: %1</source>
        <translation>La connexion a échoué : %1</translation>
    </message>
    <message>
        <source>Saving the import failed: %1</source>
        <translation>L’enregistrement de l’import a échoué : %1</translation>
    </message>
    <message>
        <source>Imported 1 row from %1.</source>
        <translation>1 ligne importée depuis %1.</translation>
    </message>
    <message>
        <source>Imported %L1 rows from %2.</source>
        <translation>%L1 lignes importées depuis %2.</translation>
    </message>
    <message>
        <source>Line %1 has %2 fields, but %3 columns were mapped. Open the file again to map its columns.</source>
        <translation>La ligne %1 a %2 champs, mais %3 colonnes ont été associées. Rouvrez le fichier pour associer ses colonnes.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Le fichier est vide.</translation>
    </message>
    <message>
        <source>Line %1: to skip rows already in the table, the file needs the column %2.</source>
        <translation>Ligne %1 : pour ignorer les lignes déjà présentes dans la table, le fichier doit avoir la colonne %2.</translation>
    </message>
    <message>
        <source>Skipped 1 row whose %1 was already in the table.</source>
        <translation>1 ligne ignorée : sa valeur de %1 était déjà dans la table.</translation>
    </message>
    <message>
        <source>Skipped %L1 rows whose %2 was already in the table.</source>
        <translation>%L1 lignes ignorées : leur valeur de %2 était déjà dans la table.</translation>
    </message>
</context>
<context>
    <name>DropTableDialog</name>
    <message>
        <source>Drop table</source>
        <translation>Supprimer la table</translation>
    </message>
    <message>
        <source>Type the table&apos;s name to confirm</source>
        <translation>Saisissez le nom de la table pour confirmer</translation>
    </message>
    <message>
        <source>Drop the table &lt;b&gt;%1&lt;/b&gt; and its %2? This deletes the table itself and cannot be undone.</source>
        <translation>Supprimer la table &lt;b&gt;%1&lt;/b&gt; (%2) ? La table elle-même est supprimée, sans retour possible.</translation>
    </message>
    <message>
        <source>Type &lt;b&gt;%1&lt;/b&gt; to confirm:</source>
        <translation>Saisissez &lt;b&gt;%1&lt;/b&gt; pour confirmer :</translation>
    </message>
    <message>
        <source>That is not the table&apos;s name. Type %1 exactly to drop it, or press Esc to keep it.</source>
        <translation>Ce n’est pas le nom de la table. Saisissez exactement %1 pour la supprimer, ou appuyez sur Échap pour la garder.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln ligne</numerusform>
            <numerusform>%Ln lignes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Your %Ln unsaved change(s) will be lost too.</source>
        <translation>
            <numerusform>Votre modification non enregistrée sera perdue elle aussi.</numerusform>
            <numerusform>Vos %Ln modifications non enregistrées seront perdues elles aussi.</numerusform>
        </translation>
    </message>
    <message>
        <source>Table name to confirm</source>
        <translation>Nom de la table pour confirmer</translation>
    </message>
</context>
<context>
    <name>GridClipboard</name>
    <message numerus="yes">
        <source>Copied %Ln cell(s).</source>
        <translation>
            <numerusform>%Ln cellule copiée.</numerusform>
            <numerusform>%Ln cellules copiées.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) with the header line.</source>
        <translation>
            <numerusform>%Ln ligne copiée avec la ligne d’en-tête.</numerusform>
            <numerusform>%Ln lignes copiées avec la ligne d’en-tête.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as CSV.</source>
        <translation>
            <numerusform>%Ln ligne copiée en CSV.</numerusform>
            <numerusform>%Ln lignes copiées en CSV.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as JSON.</source>
        <translation>
            <numerusform>%Ln ligne copiée en JSON.</numerusform>
            <numerusform>%Ln lignes copiées en JSON.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as SQL INSERT statement(s).</source>
        <translation>
            <numerusform>%Ln ligne copiée en instruction SQL INSERT.</numerusform>
            <numerusform>%Ln lignes copiées en instructions SQL INSERT.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s) as a Markdown table.</source>
        <translation>
            <numerusform>%Ln ligne copiée en tableau Markdown.</numerusform>
            <numerusform>%Ln lignes copiées en tableau Markdown.</numerusform>
        </translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Coller</translation>
    </message>
    <message numerus="yes">
        <source>Pasted %Ln row(s) of CSV.</source>
        <translation>
            <numerusform>%Ln ligne de CSV collée.</numerusform>
            <numerusform>%Ln lignes de CSV collées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Paste as new rows</source>
        <translation>Coller comme nouvelles lignes</translation>
    </message>
    <message numerus="yes">
        <source>Pasted %Ln new row(s); Save writes them.</source>
        <translation>
            <numerusform>%Ln nouvelle ligne collée ; Enregistrer l’écrit.</numerusform>
            <numerusform>%Ln nouvelles lignes collées ; Enregistrer les écrit.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln row(s).</source>
        <translation>
            <numerusform>%Ln ligne copiée.</numerusform>
            <numerusform>%Ln lignes copiées.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportFileReader</name>
    <message>
        <source>This build of Qt cannot read Windows-1252. Choose Latin-1 instead.</source>
        <translation>Cette compilation de Qt ne sait pas lire Windows-1252. Choisissez plutôt Latin-1.</translation>
    </message>
    <message>
        <source>1 field</source>
        <translation>1 champ</translation>
    </message>
    <message>
        <source>%1 fields</source>
        <translation>%1 champs</translation>
    </message>
    <message>
        <source>Line %1 has %2, but the first line has %3.</source>
        <translation>La ligne %1 a %2, mais la première ligne en a %3.</translation>
    </message>
    <message>
        <source>Line %1 has %2, but the header names %3 (%4).</source>
        <translation>La ligne %1 a %2, mais l’en-tête en nomme %3 (%4).</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>une virgule</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>un point-virgule</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>une tabulation</translation>
    </message>
    <message>
        <source>A field that contains a %1 must be in quotes.</source>
        <translation>Un champ qui contient %1 doit être entre guillemets.</translation>
    </message>
</context>
<context>
    <name>ImportOptions</name>
    <message>
        <source>The delimiter must be one character other than a quote or a line break.</source>
        <translation>Le séparateur doit être un seul caractère, autre qu’un guillemet ou un saut de ligne.</translation>
    </message>
    <message>
        <source>The table has no column a file can fill.</source>
        <translation>La table n’a aucune colonne qu’un fichier puisse remplir.</translation>
    </message>
    <message>
        <source>No column of the file goes to a column of the table: choose one.</source>
        <translation>Aucune colonne du fichier ne va dans une colonne de la table : choisissez-en une.</translation>
    </message>
    <message>
        <source>Two columns of the file go to %1: choose one.</source>
        <translation>Deux colonnes du fichier vont dans %1 : choisissez-en une.</translation>
    </message>
    <message>
        <source>Rows of this table cannot be matched with a file&apos;s: leave “skip” off.</source>
        <translation>Les lignes de cette table ne peuvent pas être comparées à celles d’un fichier : laissez « ignorer » décoché.</translation>
    </message>
    <message>
        <source>To skip rows already in the table, a column of the file must go to %1.</source>
        <translation>Pour ignorer les lignes déjà présentes dans la table, une colonne du fichier doit aller dans %1.</translation>
    </message>
</context>
<context>
    <name>ImportPreview</name>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>Impossible de lire %1 : %2.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Le fichier est vide.</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Comma ( , )</source>
        <translation>Virgule ( , )</translation>
    </message>
    <message>
        <source>Semicolon ( ; )</source>
        <translation>Point-virgule ( ; )</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tabulation</translation>
    </message>
    <message>
        <source>Other:</source>
        <translation>Autre :</translation>
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
        <translation>La première ligne est un en-tête (nomme les colonnes, n’est pas importée)</translation>
    </message>
    <message>
        <source>&amp;Delimiter:</source>
        <translation>&amp;Séparateur :</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>&amp;Encodage :</translation>
    </message>
    <message>
        <source>Columns of the file</source>
        <translation>Colonnes du fichier</translation>
    </message>
    <message>
        <source>The first rows as they will land in the table</source>
        <translation>Les premières lignes telles qu’elles arriveront dans la table</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importer</translation>
    </message>
    <message>
        <source>First rows as they will land:</source>
        <translation>Premières lignes telles qu’elles arriveront :</translation>
    </message>
    <message>
        <source>Column %1, “%2”:</source>
        <translation>Colonne %1, « %2 » :</translation>
    </message>
    <message>
        <source>Column %1:</source>
        <translation>Colonne %1 :</translation>
    </message>
    <message>
        <source>ignore</source>
        <translation>ignorer</translation>
    </message>
    <message>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <source>Already in the table: skipped</source>
        <translation>Déjà dans la table : ignorée</translation>
    </message>
    <message>
        <source>Checking the rows shown against the table…</source>
        <translation>Comparaison des lignes affichées avec la table…</translation>
    </message>
    <message>
        <source>The rows shown could not be checked against the table: %1</source>
        <translation>Les lignes affichées n’ont pas pu être comparées avec la table : %1</translation>
    </message>
    <message>
        <source>1 of the %1 rows shown is there already (struck through).</source>
        <translation>1 des %1 lignes affichées y est déjà (barrée).</translation>
    </message>
    <message>
        <source>%1 of the %2 rows shown are there already (struck through).</source>
        <translation>%1 des %2 lignes affichées y sont déjà (barrées).</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Lecture du fichier…</translation>
    </message>
    <message>
        <source>Nothing will be written.</source>
        <translation>Rien ne sera écrit.</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 ligne</translation>
    </message>
    <message>
        <source>%L1 rows</source>
        <translation>%L1 lignes</translation>
    </message>
    <message>
        <source>1 row will be written.</source>
        <translation>1 ligne sera écrite.</translation>
    </message>
    <message>
        <source>%L1 rows will be written.</source>
        <translation>%L1 lignes seront écrites.</translation>
    </message>
    <message>
        <source>About %L1 rows (counting…)</source>
        <translation>Environ %L1 lignes (comptage…)</translation>
    </message>
    <message>
        <source>Import rows – %1</source>
        <translation>Importer des lignes – %1</translation>
    </message>
    <message>
        <source>None: one %1 per line</source>
        <translation>Aucun : une valeur de %1 par ligne</translation>
    </message>
    <message>
        <source>&amp;Skip rows whose %1 already exists in the table</source>
        <translation>I&amp;gnorer les lignes dont la valeur de %1 existe déjà dans la table</translation>
    </message>
    <message>
        <source>Compared as the table&apos;s types; text exactly: case, spaces and accents count. An empty value (NULL) counts as existing when the table has a row with NULL there. Rows repeated inside the file are all written.</source>
        <translation>Comparées selon les types de la table ; le texte exactement : la casse, les espaces et les accents comptent. Une valeur vide (NULL) compte comme présente quand la table a une ligne avec NULL à cet endroit. Les lignes répétées dans le fichier sont toutes écrites.</translation>
    </message>
    <message>
        <source>The server numbers new rows: a file&apos;s %1 is never imported.</source>
        <translation>Le serveur numérote les nouvelles lignes : la colonne %1 d’un fichier n’est jamais importée.</translation>
    </message>
    <message>
        <source>The file has %1. Those whose %2 is already in the table will be skipped; the import says how many.</source>
        <translation>Le fichier a %1. Celles dont la valeur de %2 est déjà dans la table seront ignorées ; l’import dira combien.</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>L&amp;anguage</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;Système</translation>
    </message>
    <message>
        <source>The language changes when pgdesk starts again.</source>
        <translation>La langue change au prochain démarrage de pgdesk.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <source>C&amp;opy as</source>
        <translation>C&amp;opier en</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>&amp;Table</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;ide</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barre d’outils principale</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>Se &amp;connecter…</translation>
    </message>
    <message>
        <source>Change the connection</source>
        <translation>Changer de connexion</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Add row</source>
        <translation>Ajouter une li&amp;gne</translation>
    </message>
    <message>
        <source>Add a row; the server fills in id and date when it is saved</source>
        <translation>Ajouter une ligne ; le serveur remplit id et date à l’enregistrement</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Write all pending changes in one transaction</source>
        <translation>Écrire toutes les modifications en attente en une seule transaction</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>Discard chan&amp;ges</source>
        <translation>A&amp;bandonner les modifications</translation>
    </message>
    <message>
        <source>Throw away all pending changes</source>
        <translation>Abandonner toutes les modifications en attente</translation>
    </message>
    <message>
        <source>&amp;Delete rows</source>
        <translation>&amp;Supprimer les lignes</translation>
    </message>
    <message>
        <source>Mark the selected rows for deletion; Save deletes them from the database, Undo keeps them</source>
        <translation>Marquer les lignes sélectionnées pour suppression ; Enregistrer les supprime de la base, Annuler les conserve</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>Set to &amp;NULL</source>
        <translation>Mettre à &amp;NULL</translation>
    </message>
    <message>
        <source>Set the selected cells to NULL (not the empty string)</source>
        <translation>Mettre les cellules sélectionnées à NULL (pas à la chaîne vide)</translation>
    </message>
    <message>
        <source>Shift+Del</source>
        <translation>Shift+Del</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>Undo the last change that is not saved yet</source>
        <translation>Annuler la dernière modification pas encore enregistrée</translation>
    </message>
    <message>
        <source>Ctrl+Z</source>
        <translation>Ctrl+Z</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>Redo the change that was undone</source>
        <translation>Rétablir la modification annulée</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation>Ctrl+Shift+Z</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the selected cells as tab-separated text</source>
        <translation>Copier les cellules sélectionnées en texte séparé par des tabulations</translation>
    </message>
    <message>
        <source>Ctrl+C</source>
        <translation>Ctrl+C</translation>
    </message>
    <message>
        <source>Copy with &amp;header</source>
        <translation>Copier avec l’en-&amp;tête</translation>
    </message>
    <message>
        <source>Copy the selected cells as tab-separated text under a line of column names</source>
        <translation>Copier les cellules sélectionnées en texte séparé par des tabulations, sous une ligne de noms de colonnes</translation>
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
        <translation>Copier les cellules sélectionnées en CSV avec une ligne d’en-tête ; NULL est un champ vide, la chaîne vide &quot;&quot;</translation>
    </message>
    <message>
        <source>&amp;JSON</source>
        <translation>&amp;JSON</translation>
    </message>
    <message>
        <source>Copy the selected cells as a JSON array with one object per row; NULL is null</source>
        <translation>Copier les cellules sélectionnées en tableau JSON, un objet par ligne ; NULL devient null</translation>
    </message>
    <message>
        <source>&amp;SQL INSERT</source>
        <translation>&amp;SQL INSERT</translation>
    </message>
    <message>
        <source>Copy the selected cells as one INSERT statement per row</source>
        <translation>Copier les cellules sélectionnées en une instruction INSERT par ligne</translation>
    </message>
    <message>
        <source>&amp;Markdown table</source>
        <translation>Tableau &amp;Markdown</translation>
    </message>
    <message>
        <source>Copy the selected cells as a Markdown table; NULL is *NULL*</source>
        <translation>Copier les cellules sélectionnées en tableau Markdown ; NULL devient *NULL*</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>Co&amp;ller</translation>
    </message>
    <message>
        <source>Paste tab-separated text or CSV into the cells from the current one on</source>
        <translation>Coller du texte séparé par des tabulations ou du CSV dans les cellules à partir de la cellule courante</translation>
    </message>
    <message>
        <source>Ctrl+V</source>
        <translation>Ctrl+V</translation>
    </message>
    <message>
        <source>Paste as ne&amp;w rows</source>
        <translation>Coller comme nou&amp;velles lignes</translation>
    </message>
    <message>
        <source>Paste each line as the name of a new row</source>
        <translation>Coller chaque ligne de texte comme nom d’une nouvelle ligne</translation>
    </message>
    <message>
        <source>Ctrl+Shift+V</source>
        <translation>Ctrl+Shift+V</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Read the rows from the server again; pending changes are kept</source>
        <translation>Relire les lignes depuis le serveur ; les modifications en attente sont conservées</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>F&amp;ind…</source>
        <translation>Re&amp;chercher…</translation>
    </message>
    <message>
        <source>Filter rows by name</source>
        <translation>Filtrer les lignes par nom</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Exact match</source>
        <translation>Correspondance &amp;exacte</translation>
    </message>
    <message>
        <source>Match the whole name exactly, as the tutorial&apos;s WHERE name = … does, instead of a case-insensitive substring</source>
        <translation>Comparer le nom entier exactement, comme le WHERE name = … du tutoriel, au lieu d’une sous-chaîne sans distinction de casse</translation>
    </message>
    <message>
        <source>&amp;Create table</source>
        <translation>&amp;Créer la table</translation>
    </message>
    <message>
        <source>Create the table with the tutorial&apos;s CREATE TABLE</source>
        <translation>Créer la table avec le CREATE TABLE du tutoriel</translation>
    </message>
    <message>
        <source>Dro&amp;p table…</source>
        <translation>Su&amp;pprimer la table…</translation>
    </message>
    <message>
        <source>Delete the table and all its rows (asks first)</source>
        <translation>Supprimer la table et toutes ses lignes (demande d’abord)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>&amp;Raccourcis clavier…</translation>
    </message>
    <message>
        <source>Lists every command that has keys, and its keys</source>
        <translation>Liste chaque commande qui a des touches, et ses touches</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>&amp;About pgdesk</source>
        <translation>À &amp;propos de pgdesk</translation>
    </message>
    <message>
        <source>&amp;First rows</source>
        <translation>&amp;Premières lignes</translation>
    </message>
    <message>
        <source>Show the first rows of the table</source>
        <translation>Afficher les premières lignes de la table</translation>
    </message>
    <message>
        <source>Ctrl+Home</source>
        <translation>Ctrl+Home</translation>
    </message>
    <message>
        <source>&amp;Previous rows</source>
        <translation>Lignes p&amp;récédentes</translation>
    </message>
    <message>
        <source>Show the rows before these</source>
        <translation>Afficher les lignes avant celles-ci</translation>
    </message>
    <message>
        <source>Ctrl+PgUp</source>
        <translation>Ctrl+PgUp</translation>
    </message>
    <message>
        <source>&amp;Next rows</source>
        <translation>Lignes &amp;suivantes</translation>
    </message>
    <message>
        <source>Show the rows after these</source>
        <translation>Afficher les lignes après celles-ci</translation>
    </message>
    <message>
        <source>Ctrl+PgDown</source>
        <translation>Ctrl+PgDown</translation>
    </message>
    <message>
        <source>&amp;Last rows</source>
        <translation>&amp;Dernières lignes</translation>
    </message>
    <message>
        <source>Show the last rows of the table</source>
        <translation>Afficher les dernières lignes de la table</translation>
    </message>
    <message>
        <source>Ctrl+End</source>
        <translation>Ctrl+End</translation>
    </message>
    <message>
        <source>&amp;Cancel query</source>
        <translation>Annuler la re&amp;quête</translation>
    </message>
    <message>
        <source>Stop the query the server is running; the rows shown stay</source>
        <translation>Arrêter la requête que le serveur exécute ; les lignes affichées restent</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>C&amp;ount rows</source>
        <translation>C&amp;ompter les lignes</translation>
    </message>
    <message>
        <source>Count the rows exactly (matching the filter, if any) without blocking the window</source>
        <translation>Compter exactement les lignes (celles qui correspondent au filtre, s’il y en a un) sans bloquer la fenêtre</translation>
    </message>
    <message>
        <source>Create &amp;search index…</source>
        <translation>Créer un index de &amp;recherche…</translation>
    </message>
    <message>
        <source>Create a pg_trgm index so that searching by name stays fast on large tables</source>
        <translation>Créer un index pg_trgm pour que la recherche par nom reste rapide sur les grandes tables</translation>
    </message>
    <message>
        <source>Delete &amp;immediately</source>
        <translation>Supprimer &amp;immédiatement</translation>
    </message>
    <message>
        <source>Delete rows in the database at once (after asking) instead of marking them for the next Save</source>
        <translation>Supprimer les lignes dans la base tout de suite (après confirmation) au lieu de les marquer pour le prochain enregistrement</translation>
    </message>
    <message>
        <source>Li&amp;ve updates</source>
        <translation>Mises à jour en d&amp;irect</translation>
    </message>
    <message>
        <source>Show other clients&apos; inserts, updates and deletes without pressing Refresh</source>
        <translation>Afficher les ajouts, modifications et suppressions des autres clients sans appuyer sur Actualiser</translation>
    </message>
    <message>
        <source>Install change &amp;trigger…</source>
        <translation>Installer le &amp;déclencheur de modifications…</translation>
    </message>
    <message>
        <source>Let the table tell pgdesk about every change at once, instead of pgdesk asking every 1.5 seconds</source>
        <translation>Laisser la table signaler chaque modification à pgdesk immédiatement, au lieu que pgdesk interroge toutes les 1,5 secondes</translation>
    </message>
    <message>
        <source>Reco&amp;nnect now</source>
        <translation>&amp;Reconnecter maintenant</translation>
    </message>
    <message>
        <source>Try to reach the server again now instead of waiting for the next attempt</source>
        <translation>Essayer de joindre le serveur maintenant au lieu d’attendre la prochaine tentative</translation>
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
        <translation>&amp;Exporter en CSV…</translation>
    </message>
    <message>
        <source>Write the rows (matching the filter, if any) to a CSV file</source>
        <translation>Écrire les lignes (celles qui correspondent au filtre, s’il y en a un) dans un fichier CSV</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Comptage…</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Non connecté.</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Drop table</source>
        <translation>Supprimer la table</translation>
    </message>
    <message>
        <source>Count failed</source>
        <translation>Échec du comptage</translation>
    </message>
    <message>
        <source>Nothing was counted.</source>
        <translation>Rien n’a été compté.</translation>
    </message>
    <message>
        <source>%1 — %2 — pgdesk</source>
        <translation>%1 — %2 — pgdesk</translation>
    </message>
    <message>
        <source>The table %1 does not exist.</source>
        <translation>La table %1 n’existe pas.</translation>
    </message>
    <message>
        <source>The table %1 could not be read.</source>
        <translation>La table %1 n’a pas pu être lue.</translation>
    </message>
    <message>
        <source>Read-only: %1</source>
        <translation>Lecture seule : %1</translation>
    </message>
    <message>
        <source>Connected again.</source>
        <translation>Reconnecté.</translation>
    </message>
    <message>
        <source>a read-only replica cannot LISTEN for notifications</source>
        <translation>un réplica en lecture seule ne peut pas écouter les notifications (LISTEN)</translation>
    </message>
    <message>
        <source>a connection pooler sits between pgdesk and the server, so notifications cannot reach pgdesk</source>
        <translation>un pooler de connexions se trouve entre pgdesk et le serveur, les notifications ne peuvent donc pas atteindre pgdesk</translation>
    </message>
    <message>
        <source>Trigger not installed</source>
        <translation>Déclencheur non installé</translation>
    </message>
    <message>
        <source>The trigger was not installed.</source>
        <translation>Le déclencheur n’a pas été installé.</translation>
    </message>
    <message>
        <source>Install change trigger</source>
        <translation>Installer le déclencheur de modifications</translation>
    </message>
    <message>
        <source>Install a statement trigger on %1 so that every insert, update and delete, from any client, notifies pgdesk at once?

It creates the function pgdesk_notify_change() and the trigger pgdesk_notify_change on the table. Each writing statement then sends one notification, however many rows it touches. Drop the trigger to remove it.</source>
        <translation>Installer un déclencheur d’instruction sur %1 pour que chaque ajout, modification et suppression, de n’importe quel client, prévienne pgdesk immédiatement ?

Cela crée la fonction pgdesk_notify_change() et le déclencheur pgdesk_notify_change sur la table. Chaque instruction d’écriture envoie alors une notification, quel que soit le nombre de lignes touchées. Supprimez le déclencheur pour l’enlever.</translation>
    </message>
    <message>
        <source>Installing the change trigger on %1…</source>
        <translation>Installation du déclencheur de modifications sur %1…</translation>
    </message>
    <message>
        <source>The trigger was not installed: %1</source>
        <translation>Le déclencheur n’a pas été installé : %1</translation>
    </message>
    <message>
        <source>Drop failed</source>
        <translation>Échec de la suppression</translation>
    </message>
    <message>
        <source>The table was not dropped.</source>
        <translation>La table n’a pas été supprimée.</translation>
    </message>
    <message>
        <source>Counting the rows of %1…</source>
        <translation>Comptage des lignes de %1…</translation>
    </message>
    <message>
        <source>Dropping %1…</source>
        <translation>Suppression de %1…</translation>
    </message>
    <message>
        <source>The table was not dropped: %1</source>
        <translation>La table n’a pas été supprimée : %1</translation>
    </message>
    <message>
        <source>The table %1 was dropped.</source>
        <translation>La table %1 a été supprimée.</translation>
    </message>
    <message>
        <source>Table not created</source>
        <translation>Table non créée</translation>
    </message>
    <message>
        <source>The table was not created.</source>
        <translation>La table n’a pas été créée.</translation>
    </message>
    <message>
        <source>Creating %1…</source>
        <translation>Création de %1…</translation>
    </message>
    <message>
        <source>Create table failed</source>
        <translation>Échec de la création de la table</translation>
    </message>
    <message>
        <source>Still waiting for the server: press Esc to cancel, then close.</source>
        <translation>Toujours en attente du serveur : appuyez sur Échap pour annuler, puis fermez.</translation>
    </message>
    <message>
        <source>Save them before closing?</source>
        <translation>Les enregistrer avant de fermer ?</translation>
    </message>
    <message>
        <source>Save them before changing the connection?</source>
        <translation>Les enregistrer avant de changer de connexion ?</translation>
    </message>
    <message>
        <source>Table rows</source>
        <translation>Lignes de la table</translation>
    </message>
    <message>
        <source>One row per line. Typing or F2 edits the current cell; Ctrl+S saves, Ctrl+N adds a row, Delete marks rows for deletion.</source>
        <translation>Une ligne de la table par ligne de la grille. Taper du texte ou F2 modifie la cellule courante ; Ctrl+S enregistre, Ctrl+N ajoute une ligne, Suppr marque des lignes pour suppression.</translation>
    </message>
    <message>
        <source>Runs the step this page suggests</source>
        <translation>Exécute l’étape que cette page propose</translation>
    </message>
    <message>
        <source>Status bar</source>
        <translation>Barre d’état</translation>
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
        <translation>&amp;Importer des lignes…</translation>
    </message>
    <message>
        <source>Add rows from a CSV file or a text file of one value per line, in one transaction, after a preview</source>
        <translation>Ajouter des lignes depuis un fichier CSV ou un fichier texte d’une valeur par ligne, en une transaction, après un aperçu</translation>
    </message>
    <message>
        <source>Close this window; other tables&apos; windows stay open</source>
        <translation>Fermer cette fenêtre ; les fenêtres des autres tables restent ouvertes</translation>
    </message>
    <message>
        <source>Ctrl+W</source>
        <translation>Ctrl+W</translation>
    </message>
    <message>
        <source>Quit pgdesk: close every window, asking about each one&apos;s unsaved changes</source>
        <translation>Quitter pgdesk : fermer toutes les fenêtres, en demandant pour les modifications non enregistrées de chacune</translation>
    </message>
    <message>
        <source>Close &amp;window</source>
        <translation>&amp;Fermer la fenêtre</translation>
    </message>
    <message>
        <source>Still connecting or opening a table: close the window once that has finished.</source>
        <translation>Connexion ou ouverture d’une table en cours : fermez la fenêtre une fois terminée.</translation>
    </message>
    <message>
        <source>The table %1 could not be read:
%2</source>
        <translation>La table %1 n’a pas pu être lue :
%2</translation>
    </message>
</context>
<context>
    <name>MatchingRows</name>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
</context>
<context>
    <name>MatchingSelection</name>
    <message>
        <source>Select every row in view; press again to select all rows that match the filter (%1)</source>
        <translation>Sélectionner toutes les lignes affichées ; appuyer de nouveau pour sélectionner toutes les lignes qui correspondent au filtre (%1)</translation>
    </message>
    <message>
        <source>All matching rows are selected: Delete, Copy and Export act on every one of them.</source>
        <translation>Toutes les lignes correspondantes sont sélectionnées : Supprimer, Copier et Exporter agissent sur chacune d’elles.</translation>
    </message>
    <message numerus="yes">
        <source>all %Ln row(s) of the table</source>
        <translation>
            <numerusform>la %Ln ligne de la table</numerusform>
            <numerusform>les %Ln lignes de la table</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %Ln row(s) that match the filter</source>
        <translation>
            <numerusform>la %Ln ligne qui correspond au filtre</numerusform>
            <numerusform>les %Ln lignes qui correspondent au filtre</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %Ln row(s) in view are selected.</source>
        <translation>
            <numerusform>La %Ln ligne affichée est sélectionnée.</numerusform>
            <numerusform>Les %Ln lignes affichées sont sélectionnées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select all matching rows</source>
        <translation>Sélectionner toutes les lignes correspondantes</translation>
    </message>
    <message numerus="yes">
        <source>Select all %Ln matching row(s)</source>
        <translation>
            <numerusform>Sélectionner la %Ln ligne correspondante</numerusform>
            <numerusform>Sélectionner les %Ln lignes correspondantes</numerusform>
        </translation>
    </message>
    <message>
        <source>Select all matching rows (about %L1)</source>
        <translation>Sélectionner toutes les lignes correspondantes (environ %L1)</translation>
    </message>
    <message>
        <source>Delete, Copy and Export then act on every matching row, also those not loaded; each asks first and names the exact count (%1 again)</source>
        <translation>Supprimer, Copier et Exporter agissent alors sur chaque ligne correspondante, même celles qui ne sont pas chargées ; chaque action demande d’abord et indique le nombre exact (%1 de nouveau)</translation>
    </message>
    <message>
        <source>All matching rows are selected.</source>
        <translation>Toutes les lignes correspondantes sont sélectionnées.</translation>
    </message>
    <message numerus="yes">
        <source>All %Ln matching row(s) are selected.</source>
        <translation>
            <numerusform>La %Ln ligne correspondante est sélectionnée.</numerusform>
            <numerusform>Les %Ln lignes correspondantes sont sélectionnées.</numerusform>
        </translation>
    </message>
    <message>
        <source>All matching rows (about %L1) are selected.</source>
        <translation>Toutes les lignes correspondantes (environ %L1) sont sélectionnées.</translation>
    </message>
    <message>
        <source>Delete, Copy and Export act on every one of them.</source>
        <translation>Supprimer, Copier et Exporter agissent sur chacune d’elles.</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Effacer la sélection</translation>
    </message>
    <message>
        <source>Select only the rows you pick in the grid again</source>
        <translation>Ne sélectionner de nouveau que les lignes choisies dans la grille</translation>
    </message>
    <message>
        <source>Counting the matching rows…</source>
        <translation>Comptage des lignes correspondantes…</translation>
    </message>
    <message>
        <source>Counting the matching rows failed: %1</source>
        <translation>Le comptage des lignes correspondantes a échoué : %1</translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>Échec de la suppression</translation>
    </message>
    <message>
        <source>Nothing was deleted.</source>
        <translation>Rien n’a été supprimé.</translation>
    </message>
    <message>
        <source>Deleting all matching rows needs them saved or discarded first.</source>
        <translation>Avant de supprimer toutes les lignes correspondantes, il faut les enregistrer ou les abandonner.</translation>
    </message>
    <message>
        <source>No rows match any more: nothing was deleted.</source>
        <translation>Plus aucune ligne ne correspond : rien n’a été supprimé.</translation>
    </message>
    <message>
        <source>Delete rows</source>
        <translation>Supprimer des lignes</translation>
    </message>
    <message>
        <source>Delete %1 from %2?</source>
        <translation>Supprimer %1 de %2 ?</translation>
    </message>
    <message>
        <source>They are deleted on the server at once; this cannot be undone.</source>
        <translation>Elles sont supprimées immédiatement sur le serveur ; cette action est irréversible.</translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln row(s)</source>
        <translation>
            <numerusform>Supprimer %Ln ligne</numerusform>
            <numerusform>Supprimer %Ln lignes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %Ln row(s)…</source>
        <translation>
            <numerusform>Suppression de %Ln ligne…</numerusform>
            <numerusform>Suppression de %Ln lignes…</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleting was cancelled: nothing was deleted.</source>
        <translation>La suppression a été annulée : rien n’a été supprimé.</translation>
    </message>
    <message numerus="yes">
        <source>Nothing was deleted: %Ln row(s) match now, not the %1 you confirmed. Another client changed the table meanwhile; select all matching rows again to see them.</source>
        <translation>
            <numerusform>Rien n’a été supprimé : %Ln ligne correspond maintenant, et non les %1 que vous avez confirmées. Un autre client a modifié la table entre-temps ; sélectionnez de nouveau toutes les lignes correspondantes pour les voir.</numerusform>
            <numerusform>Rien n’a été supprimé : %Ln lignes correspondent maintenant, et non les %1 que vous avez confirmées. Un autre client a modifié la table entre-temps ; sélectionnez de nouveau toutes les lignes correspondantes pour les voir.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was deleted: %1</source>
        <translation>Rien n’a été supprimé : %1</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %Ln row(s).</source>
        <translation>
            <numerusform>%Ln ligne supprimée.</numerusform>
            <numerusform>%Ln lignes supprimées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy failed</source>
        <translation>Échec de la copie</translation>
    </message>
    <message>
        <source>Nothing was copied.</source>
        <translation>Rien n’a été copié.</translation>
    </message>
    <message>
        <source>Copy rows</source>
        <translation>Copier des lignes</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) match: too many for the clipboard, which takes at most %1. Export writes them to a CSV file instead.</source>
        <translation>
            <numerusform>%Ln ligne correspond : trop pour le presse-papiers, qui en accepte au plus %1. Exporter les écrit plutôt dans un fichier CSV.</numerusform>
            <numerusform>%Ln lignes correspondent : trop pour le presse-papiers, qui en accepte au plus %1. Exporter les écrit plutôt dans un fichier CSV.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Copy %1 to the clipboard?</source>
        <translation>Copier %1 dans le presse-papiers ?</translation>
    </message>
    <message numerus="yes">
        <source>Copy %Ln row(s)</source>
        <translation>
            <numerusform>Copier %Ln ligne</numerusform>
            <numerusform>Copier %Ln lignes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reading %Ln row(s) for the clipboard…</source>
        <translation>
            <numerusform>Lecture de %Ln ligne pour le presse-papiers…</numerusform>
            <numerusform>Lecture de %Ln lignes pour le presse-papiers…</numerusform>
        </translation>
    </message>
    <message>
        <source>Copying was cancelled: the clipboard is as it was.</source>
        <translation>La copie a été annulée : le presse-papiers est inchangé.</translation>
    </message>
    <message>
        <source>Nothing was copied: %1</source>
        <translation>Rien n’a été copié : %1</translation>
    </message>
    <message>
        <source>Unsaved changes are not in the copy.</source>
        <translation>Les modifications non enregistrées ne sont pas dans la copie.</translation>
    </message>
    <message>
        <source>Se&amp;lect all</source>
        <translation>To&amp;ut sélectionner</translation>
    </message>
    <message>
        <source>The rows of the current filter are not shown yet: select all again once they are.</source>
        <translation>Les lignes du filtre actuel ne sont pas encore affichées : sélectionnez tout de nouveau une fois qu’elles le sont.</translation>
    </message>
    <message>
        <source>The selection changed meanwhile: nothing was done.</source>
        <translation>La sélection a changé entre-temps : rien n’a été fait.</translation>
    </message>
</context>
<context>
    <name>NameFilterBox</name>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation>Filtrer par nom (Ctrl+F)</translation>
    </message>
    <message>
        <source>Shows rows whose name contains this text, ignoring case. %, _ and \ mean themselves. Esc clears.</source>
        <translation>Affiche les lignes dont le nom contient ce texte, sans distinction de casse. %, _ et \ valent pour eux-mêmes. Échap efface.</translation>
    </message>
    <message>
        <source>Filtering failed:
%1</source>
        <translation>Le filtrage a échoué :
%1</translation>
    </message>
    <message>
        <source>Search index not created</source>
        <translation>Index de recherche non créé</translation>
    </message>
    <message>
        <source>The index was not created.</source>
        <translation>L’index n’a pas été créé.</translation>
    </message>
    <message>
        <source>Create search index</source>
        <translation>Créer l’index de recherche</translation>
    </message>
    <message>
        <source>Create a trigram index (pg_trgm) on the name column of %1?

It reads all %2%3 rows once: roughly a second per million rows on a local server, and an index about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). Afterwards, searching by name takes milliseconds at any size (for text of 3 characters or more).</source>
        <translation>Créer un index trigramme (pg_trgm) sur la colonne name de %1 ?

Il lit une fois les %2%3 lignes : environ une seconde par million de lignes sur un serveur local, et l’index occupe sur le disque à peu près autant que la table. La table reste utilisable pendant ce temps (CREATE INDEX CONCURRENTLY). Ensuite, la recherche par nom prend quelques millisecondes quelle que soit la taille (pour un texte de 3 caractères ou plus).</translation>
    </message>
    <message>
        <source>about </source>
        <translation>environ </translation>
    </message>
    <message>
        <source>Creating the search index…</source>
        <translation>Création de l’index de recherche…</translation>
    </message>
    <message>
        <source>The index was not created: %1</source>
        <translation>L’index n’a pas été créé : %1</translation>
    </message>
    <message>
        <source>Search index created.</source>
        <translation>Index de recherche créé.</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>Filtrer par nom</translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>Effacer le filtre</translation>
    </message>
    <message>
        <source>Filter colu&amp;mn</source>
        <translation>Colonne du &amp;filtre</translation>
    </message>
    <message>
        <source>Filter on the column %1</source>
        <translation>Filtrer sur la colonne %1</translation>
    </message>
    <message>
        <source>Filter by %1 (Ctrl+F)</source>
        <translation>Filtrer par %1 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter by %1</source>
        <translation>Filtrer par %1</translation>
    </message>
    <message>
        <source>Create a trigram index (pg_trgm) on the column %4 of %1?

It reads all %2%3 rows once: roughly a second per million rows on a local server, and an index about as large as the table on disk. The table stays usable meanwhile (CREATE INDEX CONCURRENTLY). Afterwards, searching in %4 takes milliseconds at any size (for text of 3 characters or more).</source>
        <translation>Créer un index trigramme (pg_trgm) sur la colonne %4 de %1 ?

Il lit une fois les %2%3 lignes : environ une seconde par million de lignes sur un serveur local, et l’index occupe sur le disque à peu près la taille de la table. La table reste utilisable pendant ce temps (CREATE INDEX CONCURRENTLY). Ensuite, la recherche dans %4 prend quelques millisecondes quelle que soit la taille (pour un texte de 3 caractères ou plus).</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtrer</translation>
    </message>
    <message>
        <source>The column the search box filters on; click to pick another</source>
        <translation>La colonne sur laquelle filtre la zone de recherche ; cliquez pour en choisir une autre</translation>
    </message>
    <message>
        <source>Filter column: %1</source>
        <translation>Colonne du filtre : %1</translation>
    </message>
    <message>
        <source>Shows rows whose %1 contains this text, ignoring case. %, _ and \ mean themselves. Esc clears. The button beside picks another column.</source>
        <translation>Affiche les lignes dont %1 contient ce texte, sans tenir compte de la casse. %, _ et \ se représentent eux-mêmes. Échap efface. Le bouton à côté choisit une autre colonne.</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>dans %1</translation>
    </message>
    <message>
        <source>The column %1 is gone from the table, so its filter was cleared.</source>
        <translation>La colonne %1 n’existe plus dans la table : son filtre a été effacé.</translation>
    </message>
    <message>
        <source>Filter by %1: 5, &gt; 5, null (Ctrl+F)</source>
        <translation>Filtrer par %1 : 5, &gt; 5, null (Ctrl+F)</translation>
    </message>
    <message>
        <source>The column %1 changed its type, so its filter was cleared.</source>
        <translation>La colonne %1 a changé de type, son filtre a donc été effacé.</translation>
    </message>
    <message>
        <source>Shows rows whose %1 compares as typed: start with =, &lt;&gt;, &lt;, &lt;=, &gt; or &gt;= (&quot;&gt; 5&quot;, &quot;&lt;= 2026-01-01&quot;), or type null or not null; the value is read as the column&apos;s type. Other text is searched for in the values as the server writes them, ignoring case (Exact match: the value equals it). Esc clears. The button beside picks another column.</source>
        <translation>Affiche les lignes dont %1 satisfait la comparaison : commencez par =, &lt;&gt;, &lt;, &lt;=, &gt; ou &gt;= (« &gt; 5 », « &lt;= 2026-01-01 »), ou tapez null ou not null ; la valeur est lue dans le type de la colonne. Tout autre texte est cherché dans les valeurs telles que le serveur les écrit, sans tenir compte de la casse (Correspondance exacte : la valeur lui est égale). Échap efface. Le bouton à côté choisit une autre colonne.</translation>
    </message>
</context>
<context>
    <name>NetworkWait</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel the statement on the server (Esc). Nothing is written.</source>
        <translation>Annuler l’instruction sur le serveur (Échap). Rien n’est écrit.</translation>
    </message>
    <message>
        <source>pgdesk is closing.</source>
        <translation>pgdesk se ferme.</translation>
    </message>
    <message>
        <source>%1 Waiting for a lock held by %2.</source>
        <translation>%1 En attente d’un verrou détenu par %2.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Another session holds a lock on the rows or the table. pgdesk waits until it commits or rolls back; Cancel stops waiting, and nothing is written.</source>
        <translation>Une autre session détient un verrou sur les lignes ou la table. pgdesk attend qu’elle valide ou annule ; Annuler arrête d’attendre, et rien n’est écrit.</translation>
    </message>
</context>
<context>
    <name>OfflineGuard</name>
    <message>
        <source>The server cannot be reached; pgdesk reconnects by itself, Ctrl+R tries at once.</source>
        <translation>Le serveur est injoignable ; pgdesk se reconnecte tout seul, Ctrl+R essaie tout de suite.</translation>
    </message>
</context>
<context>
    <name>PasswordStore</name>
    <message>
        <source>no system keychain is available on this computer (no Secret Service, KWallet or similar is running)</source>
        <translation>aucun trousseau système n’est disponible sur cet ordinateur (ni Secret Service, ni KWallet ni équivalent ne tourne)</translation>
    </message>
    <message>
        <source>No system keychain is available on this computer (no Secret Service, KWallet or similar is running), so the password will not be remembered.</source>
        <translation>Aucun trousseau système n’est disponible sur cet ordinateur (ni Secret Service, ni KWallet ni équivalent ne tourne) : le mot de passe ne sera donc pas mémorisé.</translation>
    </message>
    <message>
        <source>The password was not remembered: %1. pgdesk will ask for it next time.</source>
        <translation>Le mot de passe n’a pas été mémorisé : %1. pgdesk le demandera la prochaine fois.</translation>
    </message>
    <message>
        <source>The remembered password could not be removed: %1.</source>
        <translation>Le mot de passe mémorisé n’a pas pu être supprimé : %1.</translation>
    </message>
    <message>
        <source>access to the keychain was denied</source>
        <translation>l’accès au trousseau a été refusé</translation>
    </message>
    <message>
        <source>the keychain refused access</source>
        <translation>le trousseau a refusé l’accès</translation>
    </message>
    <message>
        <source>the keychain reported an error</source>
        <translation>le trousseau a signalé une erreur</translation>
    </message>
    <message>
        <source>The password could not be read from the system keychain: %1.</source>
        <translation>Le mot de passe n’a pas pu être lu dans le trousseau du système : %1.</translation>
    </message>
    <message>
        <source>The remembered password could not be removed from the system keychain: %1.</source>
        <translation>Le mot de passe mémorisé n’a pas pu être supprimé du trousseau du système : %1.</translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 s.</source>
        <translation>Le trousseau du système n’a pas répondu dans les %1 s.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>from %1</source>
        <translation>de %1</translation>
    </message>
    <message>
        <source>from $%1</source>
        <translation>de $%1</translation>
    </message>
    <message>
        <source>from the %1</source>
        <translation>de %1</translation>
    </message>
    <message>
        <source>entered here</source>
        <translation>saisi ici</translation>
    </message>
    <message>
        <source>libpq default</source>
        <translation>valeur par défaut de libpq</translation>
    </message>
    <message>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <source>%1 must be a port number from 1 to 65535 (%2).</source>
        <translation>%1 doit être un numéro de port de 1 à 65535 (%2).</translation>
    </message>
    <message>
        <source>%1 lists %2 ports for %3 hosts: give one port, or one for each host (%4).</source>
        <translation>%1 indique %2 ports pour %3 hôtes : donnez un seul port, ou un par hôte (%4).</translation>
    </message>
    <message>
        <source>%1 may not contain &apos;;&apos; (%2).</source>
        <translation>%1 ne peut pas contenir &apos;;&apos; (%2).</translation>
    </message>
    <message>
        <source>The URI&apos;s %1 may not contain &apos;;&apos; (%2).</source>
        <translation>Dans l’URI, %1 ne peut pas contenir &apos;;&apos; (%2).</translation>
    </message>
    <message>
        <source>%1 must be one of %2 (%3).</source>
        <translation>%1 doit être l’une des valeurs %2 (%3).</translation>
    </message>
    <message>
        <source>%1 must name a table (%2).</source>
        <translation>%1 doit nommer une table (%2).</translation>
    </message>
    <message>
        <source>local socket</source>
        <translation>socket local</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 dans %2</translation>
    </message>
    <message>
        <source>%1 is not a usable connection URI: %2.</source>
        <translation>%1 n’est pas une URI de connexion utilisable : %2.</translation>
    </message>
    <message>
        <source>service %1 (%2)</source>
        <translation>service %1 (%2)</translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation>%1, ligne %2 : %3</translation>
    </message>
    <message>
        <source>it must start with postgres:// or postgresql://</source>
        <translation>elle doit commencer par postgres:// ou postgresql://</translation>
    </message>
    <message>
        <source>the user name or password has a malformed %-escape</source>
        <translation>le nom d’utilisateur ou le mot de passe contient un échappement % mal formé</translation>
    </message>
    <message>
        <source>it has more than one &apos;@&apos; before the host: an &apos;@&apos; in the user name or password must be written %40</source>
        <translation>elle a plus d’un &apos;@&apos; avant l’hôte : un &apos;@&apos; dans le nom d’utilisateur ou le mot de passe doit s’écrire %40</translation>
    </message>
    <message>
        <source>an IPv6 address opened with &apos;[&apos; has no &apos;]&apos;</source>
        <translation>une adresse IPv6 ouverte par &apos;[&apos; n’a pas de &apos;]&apos;</translation>
    </message>
    <message>
        <source>the IPv6 address between &apos;[&apos; and &apos;]&apos; is empty</source>
        <translation>l’adresse IPv6 entre &apos;[&apos; et &apos;]&apos; est vide</translation>
    </message>
    <message>
        <source>unexpected character after the IPv6 address&apos;s &apos;]&apos;</source>
        <translation>caractère inattendu après le &apos;]&apos; de l’adresse IPv6</translation>
    </message>
    <message>
        <source>the host has a malformed %-escape</source>
        <translation>l’hôte contient un échappement % mal formé</translation>
    </message>
    <message>
        <source>a port after a host is not a number from 1 to 65535 (a &apos;/&apos; or &apos;@&apos; in the password must be percent-encoded: %2F, %40)</source>
        <translation>un port après un hôte n’est pas un nombre de 1 à 65535 (un &apos;/&apos; ou un &apos;@&apos; dans le mot de passe doit être encodé en pourcentage : %2F, %40)</translation>
    </message>
    <message>
        <source>the database name has a malformed %-escape</source>
        <translation>le nom de la base contient un échappement % mal formé</translation>
    </message>
    <message>
        <source>the query parameter &quot;%1&quot; has no &apos;=value&apos;</source>
        <translation>le paramètre de requête « %1 » n’a pas de &apos;=valeur&apos;</translation>
    </message>
    <message>
        <source>a query parameter has a malformed %-escape</source>
        <translation>un paramètre de requête contient un échappement % mal formé</translation>
    </message>
    <message>
        <source>the query parameter &quot;%1&quot; is not for pgdesk: it always talks UTF-8 in a normal session</source>
        <translation>le paramètre de requête « %1 » n’est pas pour pgdesk : il parle toujours UTF-8 dans une session normale</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a libpq connection parameter (psql refuses it too); remove it from the URI&apos;s query</source>
        <translation>« %1 » n’est pas un paramètre de connexion libpq (psql le refuse aussi) ; retirez-le de la requête de l’URI</translation>
    </message>
    <message>
        <source>unexpected text after the address</source>
        <translation>texte inattendu après l’adresse</translation>
    </message>
    <message>
        <source># Written by pgdesk (Save as .env). Read by pgdesk and by python-dotenv.
</source>
        <translation># Écrit par pgdesk (Enregistrer en .env). Lu par pgdesk et par python-dotenv.
</translation>
    </message>
    <message>
        <source>its permissions could not be limited to the owner</source>
        <translation>ses droits n’ont pas pu être limités au propriétaire</translation>
    </message>
    <message>
        <source>recent connection</source>
        <translation>connexion récente</translation>
    </message>
    <message>
        <source>service %1: %2</source>
        <translation>service %1 : %2</translation>
    </message>
    <message>
        <source>, table %1</source>
        <translation>, table %1</translation>
    </message>
    <message>
        <source>last connection</source>
        <translation>dernière connexion</translation>
    </message>
    <message>
        <source>The service &quot;%1&quot; is defined in none of %2.</source>
        <translation>Le service « %1 » n’est défini dans aucun de %2.</translation>
    </message>
    <message>
        <source>a quote may only start a name part</source>
        <translation>un guillemet ne peut qu’ouvrir une partie du nom</translation>
    </message>
    <message>
        <source>unexpected text after a quoted name</source>
        <translation>texte inattendu après un nom entre guillemets</translation>
    </message>
    <message>
        <source>unterminated double quote</source>
        <translation>guillemet double non fermé</translation>
    </message>
    <message>
        <source>use table or schema.table</source>
        <translation>utilisez table ou schéma.table</translation>
    </message>
    <message>
        <source>a name part is empty</source>
        <translation>une partie du nom est vide</translation>
    </message>
    <message>
        <source>a name may not contain a NUL character</source>
        <translation>un nom ne peut pas contenir de caractère NUL</translation>
    </message>
    <message>
        <source>a name may not contain a single quote (Qt&apos;s PostgreSQL driver would run the rest of it as SQL)</source>
        <translation>un nom ne peut pas contenir d’apostrophe (le pilote PostgreSQL de Qt exécuterait le reste comme du SQL)</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed.</source>
        <translation>Le pilote PostgreSQL de Qt (QPSQL) n’est pas installé.</translation>
    </message>
    <message>
        <source>On Debian or Ubuntu install the package libqt6sql6-psql.</source>
        <translation>Sous Debian ou Ubuntu, installez le paquet libqt6sql6-psql.</translation>
    </message>
    <message>
        <source>the local socket</source>
        <translation>le socket local</translation>
    </message>
    <message>
        <source>The server at %1 does not support SSL, but sslmode is &quot;%2&quot;.</source>
        <translation>Le serveur %1 ne prend pas en charge SSL, mais sslmode vaut « %2 ».</translation>
    </message>
    <message>
        <source>Choose sslmode &quot;prefer&quot; or &quot;disable&quot; if this server is trusted and on a safe network, or enable SSL on the server.</source>
        <translation>Choisissez sslmode « prefer » ou « disable » si ce serveur est de confiance et sur un réseau sûr, ou activez SSL sur le serveur.</translation>
    </message>
    <message>
        <source>The server asks for a password, and none was given.</source>
        <translation>Le serveur demande un mot de passe, et aucun n’a été donné.</translation>
    </message>
    <message>
        <source>The server asks for a password for user &quot;%1&quot;, and none was given.</source>
        <translation>Le serveur demande un mot de passe pour l’utilisateur « %1 », et aucun n’a été donné.</translation>
    </message>
    <message>
        <source>Put it in PG_PASSWORD in the .env file (or in $PGPASSWORD or ~/.pgpass), or type it in pgdesk&apos;s connection dialog, which can remember it in the system keychain.</source>
        <translation>Mettez-le dans PG_PASSWORD du fichier .env (ou dans $PGPASSWORD ou ~/.pgpass), ou saisissez-le dans la fenêtre de connexion de pgdesk, qui peut le mémoriser dans le trousseau du système.</translation>
    </message>
    <message>
        <source>The server rejected the password for user &quot;%1&quot;.</source>
        <translation>Le serveur a refusé le mot de passe de l’utilisateur « %1 ».</translation>
    </message>
    <message>
        <source>Check PG_PASSWORD in the .env file, or type the password here.</source>
        <translation>Vérifiez PG_PASSWORD dans le fichier .env, ou saisissez le mot de passe ici.</translation>
    </message>
    <message>
        <source>The server has no user (role) named &quot;%1&quot;.</source>
        <translation>Le serveur n’a pas d’utilisateur (rôle) nommé « %1 ».</translation>
    </message>
    <message>
        <source>Check PG_USER.</source>
        <translation>Vérifiez PG_USER.</translation>
    </message>
    <message>
        <source>The database &quot;%1&quot; does not exist on %2.</source>
        <translation>La base de données « %1 » n’existe pas sur %2.</translation>
    </message>
    <message>
        <source>Check PG_DATABASE, or create the database (createdb %1).</source>
        <translation>Vérifiez PG_DATABASE, ou créez la base (createdb %1).</translation>
    </message>
    <message>
        <source>The host name &quot;%1&quot; could not be found.</source>
        <translation>Le nom d’hôte « %1 » est introuvable.</translation>
    </message>
    <message>
        <source>Check PG_HOST for a typo, or your network and DNS.</source>
        <translation>Vérifiez PG_HOST (faute de frappe ?), ou votre réseau et votre DNS.</translation>
    </message>
    <message>
        <source>No answer from %1 within the connection timeout.</source>
        <translation>Aucune réponse de %1 dans le délai de connexion.</translation>
    </message>
    <message>
        <source>A firewall may be dropping the connection, or the host is down.</source>
        <translation>Un pare-feu rejette peut-être la connexion, ou l’hôte est arrêté.</translation>
    </message>
    <message>
        <source>No PostgreSQL server is accepting connections at %1.</source>
        <translation>Aucun serveur PostgreSQL n’accepte de connexions sur %1.</translation>
    </message>
    <message>
        <source>Start the server, or check PG_HOST and PG_PORT.</source>
        <translation>Démarrez le serveur, ou vérifiez PG_HOST et PG_PORT.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is for %1, not for &quot;%2&quot;, the host pgdesk connected to.</source>
        <translation>Le certificat du serveur est établi pour %1, et non pour « %2 », l’hôte auquel pgdesk s’est connecté.</translation>
    </message>
    <message>
        <source>Connect with a host name the certificate names (PG_HOST or the URI&apos;s host); sslmode verify-ca checks who signed the certificate without the name.</source>
        <translation>Connectez-vous avec un nom d’hôte que le certificat indique (PG_HOST ou l’hôte de l’URI) ; sslmode verify-ca vérifie qui a signé le certificat, sans le nom.</translation>
    </message>
    <message>
        <source>The server at %1 admits user &quot;%2&quot; only with a client certificate.</source>
        <translation>Le serveur %1 n’admet l’utilisateur « %2 » qu’avec un certificat client.</translation>
    </message>
    <message>
        <source>Give the certificate and its key (PG_SSLCERT and PG_SSLKEY, or the dialog&apos;s Client certificate and Client key).</source>
        <translation>Indiquez le certificat et sa clé (PG_SSLCERT et PG_SSLKEY, ou Certificat client et Clé client dans la fenêtre).</translation>
    </message>
    <message>
        <source>The client key %1 is readable by others.</source>
        <translation>La clé client %1 est lisible par d’autres.</translation>
    </message>
    <message>
        <source>libpq refuses such a key: make it readable by you alone (chmod 600).</source>
        <translation>libpq refuse une telle clé : rendez-la lisible par vous seul (chmod 600).</translation>
    </message>
    <message>
        <source>The server&apos;s SSL certificate could not be verified against this system&apos;s trusted certificate authorities.</source>
        <translation>Le certificat SSL du serveur n’a pas pu être vérifié auprès des autorités de certification de confiance de ce système.</translation>
    </message>
    <message>
        <source>The server&apos;s SSL certificate could not be verified.</source>
        <translation>Le certificat SSL du serveur n’a pas pu être vérifié.</translation>
    </message>
    <message>
        <source>Choose the root certificate that signed it (PG_SSLROOTCERT), or use sslmode &quot;require&quot;, which encrypts without checking who the server is.</source>
        <translation>Choisissez le certificat racine qui l’a signé (PG_SSLROOTCERT), ou utilisez sslmode « require », qui chiffre sans vérifier qui est le serveur.</translation>
    </message>
    <message>
        <source>Could not connect to %1.</source>
        <translation>Impossible de se connecter à %1.</translation>
    </message>
    <message>
        <source>The connection to %1 was lost.</source>
        <translation>La connexion à %1 a été perdue.</translation>
    </message>
    <message>
        <source>pgdesk reconnects on its own when the server answers again.</source>
        <translation>pgdesk se reconnecte tout seul quand le serveur répond de nouveau.</translation>
    </message>
    <message>
        <source>The connection to the server was lost while %1.</source>
        <translation>La connexion au serveur a été perdue pendant %1.</translation>
    </message>
    <message>
        <source>The server cancelled %1: it took longer than the statement_timeout set for this role or database.</source>
        <translation>Le serveur a annulé %1 : cela a pris plus longtemps que le statement_timeout défini pour ce rôle ou cette base.</translation>
    </message>
    <message>
        <source>Ask the database owner to raise it (ALTER ROLE ... SET statement_timeout), or try again when the server is less busy.</source>
        <translation>Demandez au propriétaire de la base de l’augmenter (ALTER ROLE ... SET statement_timeout), ou réessayez quand le serveur sera moins chargé.</translation>
    </message>
    <message>
        <source>The server refused %1: permission denied.</source>
        <translation>Le serveur a refusé %1 : permission refusée.</translation>
    </message>
    <message>
        <source>Ask the table&apos;s owner to GRANT the privilege to this role.</source>
        <translation>Demandez au propriétaire de la table d’accorder (GRANT) le privilège à ce rôle.</translation>
    </message>
    <message>
        <source>The server reported an error while %1.</source>
        <translation>Le serveur a signalé une erreur pendant %1.</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>Le serveur a dit : %1</translation>
    </message>
    <message>
        <source>The root certificate path may not contain &apos;;&apos;.</source>
        <translation>Le chemin du certificat racine ne peut pas contenir &apos;;&apos;.</translation>
    </message>
    <message>
        <source>reading the server&apos;s version</source>
        <translation>la lecture de la version du serveur</translation>
    </message>
    <message>
        <source>PG_TABLE &quot;%1&quot; is not a table name: %2.</source>
        <translation>PG_TABLE « %1 » n’est pas un nom de table : %2.</translation>
    </message>
    <message>
        <source>checking the connection</source>
        <translation>la vérification de la connexion</translation>
    </message>
    <message>
        <source>There is no connection to reopen: connect first.</source>
        <translation>Il n’y a pas de connexion à rouvrir : connectez-vous d’abord.</translation>
    </message>
    <message>
        <source>Could not look up the table %1.</source>
        <translation>Impossible de rechercher la table %1.</translation>
    </message>
    <message>
        <source>The table %1 does not exist and cannot be created here.</source>
        <translation>La table %1 n’existe pas et ne peut pas être créée ici.</translation>
    </message>
    <message>
        <source>The table %1 does not exist and could not be created.</source>
        <translation>La table %1 n’existe pas et n’a pas pu être créée.</translation>
    </message>
    <message>
        <source>Ask the database owner to create it, or choose another PG_TABLE.</source>
        <translation>Demandez au propriétaire de la base de la créer, ou choisissez une autre PG_TABLE.</translation>
    </message>
    <message>
        <source>The privileges on %1 could not be read: %2</source>
        <translation>Les privilèges sur %1 n’ont pas pu être lus : %2</translation>
    </message>
    <message>
        <source>The table %1 does not exist.</source>
        <translation>La table %1 n’existe pas.</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may not read the table %2 (it has no SELECT privilege on it).</source>
        <translation>Le rôle « %1 » ne peut pas lire la table %2 (il n’a pas le privilège SELECT dessus).</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may only read the table %2: it lacks the %3 privilege.</source>
        <translation>Le rôle « %1 » ne peut que lire la table %2 : il lui manque le privilège %3.</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may only read the table %2: it lacks the %3 privileges.</source>
        <translation>Le rôle « %1 » ne peut que lire la table %2 : il lui manque les privilèges %3.</translation>
    </message>
    <message>
        <source>The role &quot;%1&quot; may not add rows to %2: it lacks USAGE on the sequence that numbers its rows.</source>
        <translation>Le rôle « %1 » ne peut pas ajouter de lignes à %2 : il lui manque USAGE sur la séquence qui numérote ses lignes.</translation>
    </message>
    <message>
        <source>The columns of %1 could not be read: %2</source>
        <translation>Les colonnes de %1 n’ont pas pu être lues : %2</translation>
    </message>
    <message>
        <source>The primary key of %1 could not be read: %2</source>
        <translation>La clé primaire de %1 n’a pas pu être lue : %2</translation>
    </message>
    <message>
        <source>The table %1 has no primary key, so pgdesk cannot tell which row an edit belongs to.</source>
        <translation>La table %1 n’a pas de clé primaire : pgdesk ne peut donc pas savoir à quelle ligne une modification appartient.</translation>
    </message>
    <message>
        <source>This server is a read-only replica (hot standby): it refuses every change. Connect to the primary server to edit.</source>
        <translation>Ce serveur est un réplica en lecture seule (hot standby) : il refuse toute modification. Connectez-vous au serveur primaire pour modifier.</translation>
    </message>
    <message>
        <source>This connection is read-only: default_transaction_read_only is on for the role &quot;%1&quot; or the database &quot;%2&quot;.</source>
        <translation>Cette connexion est en lecture seule : default_transaction_read_only est activé pour le rôle « %1 » ou la base « %2 ».</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Ajouter une ligne</translation>
    </message>
    <message>
        <source>Delete row</source>
        <translation>Supprimer la ligne</translation>
    </message>
    <message>
        <source>Delete %1 rows</source>
        <translation>Supprimer %1 lignes</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Modifier %1</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n ligne</numerusform>
            <numerusform>%n lignes</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect, then print the server version and whether SSL is in use.</source>
        <translation>Se connecter, puis afficher la version du serveur et si SSL est utilisé.</translation>
    </message>
    <message>
        <source>The names to add, each a row; put -- before a name that starts with -.</source>
        <translation>Les noms à ajouter, une ligne chacun ; mettez -- devant un nom qui commence par -.</translation>
    </message>
    <message>
        <source>Insert one row per NAME (guide.py NAME).</source>
        <translation>Insérer une ligne par NAME (guide.py NAME).</translation>
    </message>
    <message>
        <source>The name to look for.</source>
        <translation>Le nom à chercher.</translation>
    </message>
    <message>
        <source>Print the rows named exactly NAME, every row without NAME; --contains: names containing NAME, ignoring case.</source>
        <translation>Afficher les lignes nommées exactement NAME, toutes les lignes sans NAME ; --contains : les noms contenant NAME, sans distinction de casse.</translation>
    </message>
    <message>
        <source>The name whose rows to delete.</source>
        <translation>Le nom dont les lignes sont à supprimer.</translation>
    </message>
    <message>
        <source>Delete the rows named exactly NAME.</source>
        <translation>Supprimer les lignes nommées exactement NAME.</translation>
    </message>
    <message>
        <source>Drop the table and all its rows; asks first unless --yes.</source>
        <translation>Supprimer la table et toutes ses lignes ; demande d’abord, sauf avec --yes.</translation>
    </message>
    <message>
        <source>Serve the tutorial&apos;s HTTP API (main.py): /read, /write, /delete.</source>
        <translation>Servir l’API HTTP du tutoriel (main.py) : /read, /write, /delete.</translation>
    </message>
    <message>
        <source>Commands (pgdesk COMMAND --help shows each one&apos;s options):</source>
        <translation>Commandes (pgdesk COMMANDE --help montre les options de chacune) :</translation>
    </message>
    <message>
        <source>Without a command pgdesk opens its window. Exit codes: 0 success, 1 usage error, 2 cannot connect, 3 database error.</source>
        <translation>Sans commande, pgdesk ouvre sa fenêtre. Codes de sortie : 0 succès, 1 erreur d’utilisation, 2 connexion impossible, 3 erreur de base de données.</translation>
    </message>
    <message>
        <source>Read connection settings from FILE instead of searching for .env.</source>
        <translation>Lire les paramètres de connexion dans FILE au lieu de chercher un .env.</translation>
    </message>
    <message>
        <source>Print JSON for programs instead of text for people.</source>
        <translation>Afficher du JSON pour les programmes au lieu de texte pour les humains.</translation>
    </message>
    <message>
        <source>Match names containing NAME, ignoring case; % and _ match only themselves.</source>
        <translation>Trouver les noms contenant NAME, sans distinction de casse ; % et _ ne valent que pour eux-mêmes.</translation>
    </message>
    <message>
        <source>Drop without asking; required when standard input is not a terminal.</source>
        <translation>Supprimer sans demander ; obligatoire quand l’entrée standard n’est pas un terminal.</translation>
    </message>
    <message>
        <source>Listen on ADDR (default 127.0.0.1; 0.0.0.0 or :: listens on every network).</source>
        <translation>Écouter sur ADDR (127.0.0.1 par défaut ; 0.0.0.0 ou :: écoute sur tous les réseaux).</translation>
    </message>
    <message>
        <source>Listen on port N (default 8080; 0 picks a free port).</source>
        <translation>Écouter sur le port N (8080 par défaut ; 0 choisit un port libre).</translation>
    </message>
    <message>
        <source>Require the header &quot;Authorization: Bearer T&quot; on every request (also read from $PGDESK_TOKEN, which other users cannot see in the process list).</source>
        <translation>Exiger l’en-tête &quot;Authorization: Bearer T&quot; dans chaque requête (lu aussi dans $PGDESK_TOKEN, que les autres utilisateurs ne voient pas dans la liste des processus).</translation>
    </message>
    <message>
        <source>Let /delete drop the table, as the tutorial&apos;s does.</source>
        <translation>Laisser /delete supprimer la table, comme celui du tutoriel.</translation>
    </message>
    <message>
        <source>Answer with main.py&apos;s JSON: /read as [[id, &quot;name&quot;, &quot;date&quot;]], everything else as {&quot;result&quot;: ...}, failures as 500.</source>
        <translation>Répondre avec le JSON de main.py : /read en [[id, &quot;name&quot;, &quot;date&quot;]], tout le reste en {&quot;result&quot;: ...}, les échecs en 500.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a pgdesk command.</source>
        <translation>« %1 » n’est pas une commande de pgdesk.</translation>
    </message>
    <message>
        <source>The commands are %1; pgdesk --help describes them.</source>
        <translation>Les commandes sont %1 ; pgdesk --help les décrit.</translation>
    </message>
    <message>
        <source>See pgdesk %1--help.</source>
        <translation>Voir pgdesk %1--help.</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>ligne %1 : %2</translation>
    </message>
    <message>
        <source>check takes no arguments.</source>
        <translation>check ne prend pas d’argument.</translation>
    </message>
    <message>
        <source>Connected, but the server did not answer a query.</source>
        <translation>Connecté, mais le serveur n’a pas répondu à une requête.</translation>
    </message>
    <message>
        <source>Server version: %1</source>
        <translation>Version du serveur : %1</translation>
    </message>
    <message>
        <source>SSL: in use (%1)</source>
        <translation>SSL : utilisé (%1)</translation>
    </message>
    <message>
        <source>SSL: not in use</source>
        <translation>SSL : non utilisé</translation>
    </message>
    <message>
        <source>Connected to: %1, table %2</source>
        <translation>Connecté à : %1, table %2</translation>
    </message>
    <message>
        <source>Settings:</source>
        <translation>Paramètres :</translation>
    </message>
    <message>
        <source>add needs at least one NAME.</source>
        <translation>add a besoin d’au moins un NAME.</translation>
    </message>
    <message>
        <source>Added %1 to %2 (id %3, %4).</source>
        <translation>%1 ajouté à %2 (id %3, %4).</translation>
    </message>
    <message>
        <source>read takes at most one NAME; quote a name that has spaces.</source>
        <translation>read prend au plus un NAME ; mettez entre guillemets un nom qui contient des espaces.</translation>
    </message>
    <message>
        <source>--contains needs the NAME to look for.</source>
        <translation>--contains a besoin du NAME à chercher.</translation>
    </message>
    <message>
        <source>delete needs exactly one NAME; quote a name that has spaces.</source>
        <translation>delete a besoin d’exactement un NAME ; mettez entre guillemets un nom qui contient des espaces.</translation>
    </message>
    <message>
        <source>Deleted %1 named %2 from %3.</source>
        <translation>Supprimé de %3, au nom %2 : %1.</translation>
    </message>
    <message>
        <source>drop takes no arguments; the table is PG_TABLE (my_table by default).</source>
        <translation>drop ne prend pas d’argument ; la table est PG_TABLE (my_table par défaut).</translation>
    </message>
    <message>
        <source>drop asks before dropping the table, and standard input is not a terminal: add --yes to drop without asking.</source>
        <translation>drop demande avant de supprimer la table, et l’entrée standard n’est pas un terminal : ajoutez --yes pour supprimer sans demander.</translation>
    </message>
    <message>
        <source>Drop the table %1 on %2 with its %3? [y/N]</source>
        <translation>Supprimer la table %1 sur %2 (%3) ? [y/N]</translation>
    </message>
    <message>
        <source>Not dropped.</source>
        <translation>Non supprimée.</translation>
    </message>
    <message>
        <source>Dropped the table %1.</source>
        <translation>La table %1 a été supprimée.</translation>
    </message>
    <message>
        <source>The table %1 does not exist; nothing to drop.</source>
        <translation>La table %1 n’existe pas ; rien à supprimer.</translation>
    </message>
    <message>
        <source>serve takes no arguments.</source>
        <translation>serve ne prend pas d’argument.</translation>
    </message>
    <message>
        <source>--port needs a number from 0 to 65535.</source>
        <translation>--port a besoin d’un nombre de 0 à 65535.</translation>
    </message>
    <message>
        <source>--bind needs an IP address such as 127.0.0.1, 0.0.0.0 or ::1.</source>
        <translation>--bind a besoin d’une adresse IP comme 127.0.0.1, 0.0.0.0 ou ::1.</translation>
    </message>
    <message>
        <source>--token needs a value.</source>
        <translation>--token a besoin d’une valeur.</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>Impossible d’écouter sur %1 port %2 : %3</translation>
    </message>
    <message>
        <source>Could not %1 %2. %3</source>
        <translation>Impossible %1 %2. %3</translation>
    </message>
    <message>
        <source>A name cannot contain a NUL character: PostgreSQL text cannot store one.</source>
        <translation>Un nom ne peut pas contenir de caractère NUL : un texte PostgreSQL ne peut pas en stocker.</translation>
    </message>
    <message>
        <source>The database server cannot be reached.</source>
        <translation>Le serveur de base de données est injoignable.</translation>
    </message>
    <message>
        <source>Could not %1 %2: the server accepts no changes on this connection (it is a read-only replica, or transactions are read-only for this role).</source>
        <translation>Impossible %1 %2 : le serveur n’accepte aucune modification sur cette connexion (c’est un réplica en lecture seule, ou les transactions sont en lecture seule pour ce rôle).</translation>
    </message>
    <message>
        <source>Could not %1 %2.</source>
        <translation>Impossible %1 %2.</translation>
    </message>
    <message>
        <source>add to</source>
        <translation>d’ajouter à</translation>
    </message>
    <message>
        <source>read</source>
        <translation>de lire</translation>
    </message>
    <message>
        <source>delete from</source>
        <translation>de supprimer dans</translation>
    </message>
    <message>
        <source>look up</source>
        <translation>de rechercher</translation>
    </message>
    <message>
        <source>count the rows of</source>
        <translation>de compter les lignes de</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>de supprimer</translation>
    </message>
    <message>
        <source>Line %1 ends the file in the middle of a UTF-8 character.</source>
        <translation>La ligne %1 termine le fichier au milieu d’un caractère UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 opens a quoted field that is never closed: the file ends inside it. Close it with a quote (&quot;).</source>
        <translation>La ligne %1 ouvre un champ entre guillemets qui n’est jamais fermé : le fichier se termine dedans. Fermez-le par un guillemet (&quot;).</translation>
    </message>
    <message>
        <source>Line %1 is not valid UTF-8 (a character is cut short before byte 0x%2). Save the file as UTF-8.</source>
        <translation>La ligne %1 n’est pas de l’UTF-8 valide (un caractère est tronqué avant l’octet 0x%2). Enregistrez le fichier en UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 is not valid UTF-8 (byte 0x%2). Save the file as UTF-8.</source>
        <translation>La ligne %1 n’est pas de l’UTF-8 valide (octet 0x%2). Enregistrez le fichier en UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 contains a NUL byte, which PostgreSQL text cannot hold. Is the file UTF-16? Save it as UTF-8.</source>
        <translation>La ligne %1 contient un octet NUL, qu’un texte PostgreSQL ne peut pas contenir. Le fichier est-il en UTF-16 ? Enregistrez-le en UTF-8.</translation>
    </message>
    <message>
        <source>Line %1 has a quote (&quot;) inside a field that does not start with one. Put the whole field in quotes and write the quote twice (&quot;&quot;).</source>
        <translation>La ligne %1 a un guillemet (&quot;) dans un champ qui ne commence pas par un guillemet. Mettez tout le champ entre guillemets et doublez le guillemet (&quot;&quot;).</translation>
    </message>
    <message>
        <source>Line %1 has text after the closing quote of a field. Inside a quoted field, write a quote twice (&quot;&quot;).</source>
        <translation>La ligne %1 a du texte après le guillemet fermant d’un champ. Dans un champ entre guillemets, doublez le guillemet (&quot;&quot;).</translation>
    </message>
    <message>
        <source>Write messages for people in LANG (en, de, fr); JSON and exit codes stay the same in every language.</source>
        <translation>Écrire les messages pour les humains en LANG (en, de, fr) ; le JSON et les codes de sortie restent les mêmes dans toutes les langues.</translation>
    </message>
    <message>
        <source>Run up to N statements at once, each on a connection of its own opened when first needed, so a slow request does not hold up the others (default %1).</source>
        <translation>Exécuter jusqu’à N instructions à la fois, chacune sur sa propre connexion ouverte au premier besoin, pour qu’une requête lente ne retienne pas les autres (par défaut %1).</translation>
    </message>
    <message>
        <source>--workers needs a number from 1 to %1.</source>
        <translation>--workers a besoin d’un nombre de 1 à %1.</translation>
    </message>
    <message>
        <source>PostgreSQL text cannot contain a NUL character, so nothing can match it.</source>
        <translation>Un texte PostgreSQL ne peut pas contenir de caractère NUL : rien ne peut donc y correspondre.</translation>
    </message>
    <message>
        <source>Could not %1 %2: the command line and the HTTP API work on the tutorial&apos;s columns (id, name, date), and %2 has no %3. The window opens any table with a primary key.</source>
        <translation>Impossible %1 %2 : la ligne de commande et l’API HTTP travaillent sur les colonnes du tutoriel (id, name, date), et %2 n’a pas de %3. La fenêtre ouvre toute table qui a une clé primaire.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; means another moment each time the server reads it; type the date itself.</source>
        <translation>« %1 » désigne un autre moment chaque fois que le serveur le lit ; tapez la date elle-même.</translation>
    </message>
    <message>
        <source>The primary key column &quot;%1&quot; of %2 is %3; pgdesk edits rows by a key of type integer, bigint, smallint, uuid, numeric, boolean, a date or time, inet, cidr, macaddr or (in a UTF8 database) text, varchar, char, citext or an enum.</source>
        <translation>La colonne de clé primaire « %1 » de %2 est de type %3 ; pgdesk modifie les lignes par une clé de type integer, bigint, smallint, uuid, numeric, boolean, une date ou une heure, inet, cidr, macaddr ou (dans une base UTF8) text, varchar, char, citext ou une énumération (enum).</translation>
    </message>
    <message>
        <source>The connection to the server was lost.</source>
        <translation>La connexion au serveur a été perdue.</translation>
    </message>
    <message>
        <source>looking up the table %1</source>
        <translation>la recherche de la table %1</translation>
    </message>
</context>
<context>
    <name>RowDetails</name>
    <message>
        <source>Row &amp;details…</source>
        <translation>Dé&amp;tails de la ligne…</translation>
    </message>
    <message>
        <source>Row details shows the current row: click a cell first.</source>
        <translation>Les détails de la ligne montrent la ligne courante : cliquez d’abord sur une cellule.</translation>
    </message>
    <message>
        <source>Show every column of the current row in full, and edit it</source>
        <translation>Afficher en entier chaque colonne de la ligne courante, et la modifier</translation>
    </message>
    <message>
        <source>The row is no longer in the grid, so nothing was changed. Open Row details on it again.</source>
        <translation>La ligne n’est plus dans la grille, rien n’a donc été modifié. Rouvrez les détails de la ligne sur elle.</translation>
    </message>
    <message>
        <source>Edit row details</source>
        <translation>Modifier les détails de la ligne</translation>
    </message>
</context>
<context>
    <name>RowDetailsDialog</name>
    <message>
        <source>timestamp</source>
        <translation>horodatage</translation>
    </message>
    <message>
        <source>boolean</source>
        <translation>booléen</translation>
    </message>
    <message>
        <source>integer</source>
        <translation>entier</translation>
    </message>
    <message>
        <source>number</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texte</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>octets</translation>
    </message>
    <message>
        <source>Row details</source>
        <translation>Détails de la ligne</translation>
    </message>
    <message>
        <source>Read-only: this row cannot be edited here.</source>
        <translation>Lecture seule : cette ligne ne peut pas être modifiée ici.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln character(s)</source>
        <translation>
            <numerusform>%Ln caractère</numerusform>
            <numerusform>%Ln caractères</numerusform>
        </translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Champs</translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln octet</numerusform>
            <numerusform>%Ln octets</numerusform>
        </translation>
    </message>
    <message>
        <source>The changes made in Row details are not in the grid yet. Apply them before closing?</source>
        <translation>Les modifications faites dans les détails de la ligne ne sont pas encore dans la grille. Les appliquer avant de fermer ?</translation>
    </message>
    <message>
        <source>The changes made in Row details are not in the grid yet, and a value is not valid. Discard them?</source>
        <translation>Les modifications faites dans les détails de la ligne ne sont pas encore dans la grille, et une valeur n’est pas valide. Les abandonner ?</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Appliquer</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>A&amp;bandonner</translation>
    </message>
</context>
<context>
    <name>SaveFlow</name>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln ligne</numerusform>
            <numerusform>%Ln lignes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s)</source>
        <translation>
            <numerusform>%Ln modification</numerusform>
            <numerusform>%Ln modifications</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was written; your %Ln change(s) are still staged.</source>
        <translation>
            <numerusform>Rien n’a été écrit ; votre modification reste en attente.</numerusform>
            <numerusform>Rien n’a été écrit ; vos %Ln modifications restent en attente.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save again once the server is back.</source>
        <translation>Enregistrez de nouveau quand le serveur sera revenu.</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Enregistrement de %1…</translation>
    </message>
    <message>
        <source>pgdesk is closing; the save may not have finished.</source>
        <translation>pgdesk se ferme ; l’enregistrement n’est peut-être pas terminé.</translation>
    </message>
    <message>
        <source>Offline: nothing was written; your changes are still staged.</source>
        <translation>Hors ligne : rien n’a été écrit ; vos modifications restent en attente.</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>Échec de l’enregistrement</translation>
    </message>
    <message>
        <source>Delete %1 from %2?</source>
        <translation>Supprimer %1 de %2 ?</translation>
    </message>
    <message>
        <source>Save %1 and delete %2 from %3?</source>
        <translation>Enregistrer %1 et supprimer %2 de %3 ?</translation>
    </message>
    <message>
        <source>Save and delete</source>
        <translation>Enregistrer et supprimer</translation>
    </message>
    <message>
        <source>Deleted rows cannot be brought back after saving.</source>
        <translation>Les lignes supprimées ne peuvent plus être récupérées après l’enregistrement.</translation>
    </message>
    <message>
        <source>Delete row</source>
        <translation>Supprimer la ligne</translation>
    </message>
    <message>
        <source>Delete rows</source>
        <translation>Supprimer des lignes</translation>
    </message>
    <message>
        <source>Not saved; your changes are still staged.</source>
        <translation>Non enregistré ; vos modifications restent en attente.</translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln change(s).</source>
        <translation>
            <numerusform>%Ln modification enregistrée.</numerusform>
            <numerusform>%Ln modifications enregistrées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>Supprimé : %1.</translation>
    </message>
    <message>
        <source>Saved %1 and deleted %2.</source>
        <translation>Enregistré : %1 ; supprimé : %2.</translation>
    </message>
    <message>
        <source>Save failed; nothing was written.</source>
        <translation>Échec de l’enregistrement ; rien n’a été écrit.</translation>
    </message>
    <message>
        <source>
%1: when you read it %2, now %3</source>
        <translation>
%1 : à la lecture %2, maintenant %3</translation>
    </message>
    <message>
        <source>
%1: when you read it %2, now %3, yours %4</source>
        <translation>
%1 : à la lecture %2, maintenant %3, la vôtre %4</translation>
    </message>
    <message>
        <source>Changed by someone else</source>
        <translation>Modifiée par quelqu’un d’autre</translation>
    </message>
    <message>
        <source>Delete it anyway</source>
        <translation>La supprimer quand même</translation>
    </message>
    <message>
        <source>Keep the row</source>
        <translation>Garder la ligne</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Garder la mienne</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>Prendre la leur</translation>
    </message>
    <message numerus="yes">
        <source>Discard %Ln unsaved change(s)?</source>
        <translation>
            <numerusform>Abandonner %Ln modification non enregistrée ?</numerusform>
            <numerusform>Abandonner %Ln modifications non enregistrées ?</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep the %1 marked for deletion?</source>
        <translation>Garder marquées pour suppression : %1 ?</translation>
    </message>
    <message>
        <source>Discard %1 and keep the %2 marked for deletion?</source>
        <translation>Abandonner %1 et garder marquées pour suppression : %2 ?</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Abandonner les modifications</translation>
    </message>
    <message>
        <source>The database keeps what it has.</source>
        <translation>La base garde ce qu’elle contient.</translation>
    </message>
    <message numerus="yes">
        <source>Marked %Ln row(s) for deletion: Save deletes them, Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>%Ln ligne marquée pour suppression : Enregistrer la supprime, Ctrl+Z la récupère.</numerusform>
            <numerusform>%Ln lignes marquées pour suppression : Enregistrer les supprime, Ctrl+Z les récupère.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>Échec de la suppression</translation>
    </message>
    <message>
        <source>Nothing was deleted.</source>
        <translation>Rien n’a été supprimé.</translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln row(s) from %1?</source>
        <translation>
            <numerusform>Supprimer %Ln ligne de %1 ?</numerusform>
            <numerusform>Supprimer %Ln lignes de %1 ?</numerusform>
        </translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Cette action est irréversible.</translation>
    </message>
    <message numerus="yes">
        <source>Deleting %Ln row(s)…</source>
        <translation>
            <numerusform>Suppression de %Ln ligne…</numerusform>
            <numerusform>Suppression de %Ln lignes…</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was deleted: %1</source>
        <translation>Rien n’a été supprimé : %1</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %Ln row(s).</source>
        <translation>
            <numerusform>%Ln ligne supprimée.</numerusform>
            <numerusform>%Ln lignes supprimées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message numerus="yes">
        <source>You have %Ln unsaved change(s).</source>
        <translation>
            <numerusform>Vous avez %Ln modification non enregistrée.</numerusform>
            <numerusform>Vous avez %Ln modifications non enregistrées.</numerusform>
        </translation>
    </message>
    <message>
        <source>You have %1 unsaved and %2 marked for deletion.</source>
        <translation>Vous avez des modifications non enregistrées (%1) et des lignes marquées pour suppression (%2).</translation>
    </message>
    <message>
        <source>“%1”</source>
        <comment>a value, quoted</comment>
        <translation>« %1 »</translation>
    </message>
    <message>
        <source>Another client changed %1 after you marked it for deletion. Nothing was saved yet.</source>
        <translation>Un autre client a modifié %1 après que vous l’avez marquée pour suppression. Rien n’a encore été enregistré.</translation>
    </message>
    <message>
        <source>Another client changed %1 after you read it. Nothing was saved yet.</source>
        <translation>Un autre client a modifié %1 après que vous l’avez lue. Rien n’a encore été enregistré.</translation>
    </message>
</context>
<context>
    <name>SavePlanner</name>
    <message>
        <source>new row %1</source>
        <translation>nouvelle ligne %1</translation>
    </message>
    <message>
        <source>The %1 of %2 contains a NUL character, which PostgreSQL text cannot hold.</source>
        <translation>%1 de %2 contient un caractère NUL, qu’un texte PostgreSQL ne peut pas contenir.</translation>
    </message>
    <message>
        <source>The %1 of %2 contains a broken character (an unpaired UTF-16 surrogate), which cannot be stored as UTF-8.</source>
        <translation>%1 de %2 contient un caractère cassé (un demi-caractère UTF-16 isolé), impossible à stocker en UTF-8.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Search commands or keys</source>
        <translation>Rechercher des commandes ou des touches</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source> or </source>
        <translation> ou </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Search shortcuts</source>
        <translation>Rechercher dans les raccourcis</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>Effacer la recherche</translation>
    </message>
</context>
<context>
    <name>StatusBarPanel</name>
    <message>
        <source>The server is working; Esc cancels</source>
        <translation>Le serveur travaille ; Échap annule</translation>
    </message>
    <message>
        <source>Searching is slow without an index: create one…</source>
        <translation>La recherche est lente sans index : en créer un…</translation>
    </message>
    <message>
        <source>Waiting for the server… Esc cancels.</source>
        <translation>En attente du serveur… Échap annule.</translation>
    </message>
    <message>
        <source>Waiting for a lock held by %1… Esc cancels.</source>
        <translation>En attente d’un verrou détenu par %1… Échap annule.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>SSL %1</source>
        <translation>SSL %1</translation>
    </message>
    <message>
        <source>no SSL</source>
        <translation>sans SSL</translation>
    </message>
    <message>
        <source>%1  ·  %2  ·  PostgreSQL %3  ·  time zone %4</source>
        <translation>%1  ·  %2  ·  PostgreSQL %3  ·  fuseau horaire %4</translation>
    </message>
    <message>
        <source>Server %1
Database %2 as %3
%4
Timestamps are shown exactly as stored; new rows get the time in the session&apos;s zone, %5.</source>
        <translation>Serveur %1
Base %2 en tant que %3
%4
Les horodatages sont affichés tels qu’ils sont stockés ; les nouvelles lignes reçoivent l’heure du fuseau de la session, %5.</translation>
    </message>
    <message>
        <source>Encrypted with %1</source>
        <translation>Chiffrée avec %1</translation>
    </message>
    <message>
        <source>Not encrypted</source>
        <translation>Non chiffrée</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsaved change(s)</source>
        <translation>
            <numerusform>%Ln modification non enregistrée</numerusform>
            <numerusform>%Ln modifications non enregistrées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) to delete</source>
        <translation>
            <numerusform>%Ln ligne à supprimer</numerusform>
            <numerusform>%Ln lignes à supprimer</numerusform>
        </translation>
    </message>
    <message>
        <source>%L1</source>
        <translation>%L1</translation>
    </message>
    <message>
        <source>about %L1</source>
        <translation>environ %L1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln ligne</numerusform>
            <numerusform>%Ln lignes</numerusform>
        </translation>
    </message>
    <message>
        <source>%L1 rows shown of %2</source>
        <translation>%L1 lignes affichées sur %2</translation>
    </message>
    <message>
        <source>rows %L1–%L2 of %3</source>
        <translation>lignes %L1–%L2 sur %3</translation>
    </message>
    <message>
        <source>%L1 of %2 rows</source>
        <translation>%L1 sur %2 lignes</translation>
    </message>
    <message>
        <source>matching rows %L1–%L2</source>
        <translation>lignes correspondantes %L1–%L2</translation>
    </message>
    <message>
        <source>the last %L1 matching rows</source>
        <translation>les %L1 dernières lignes correspondantes</translation>
    </message>
    <message>
        <source>%L1 matching rows</source>
        <translation>%L1 lignes correspondantes</translation>
    </message>
    <message>
        <source>%1 in the table</source>
        <translation>%1 dans la table</translation>
    </message>
    <message>
        <source>%1 of %L2 · %3</source>
        <translation>%1 sur %L2 · %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>This server is a read-only replica (hot standby)</source>
        <translation>Ce serveur est un réplica en lecture seule (hot standby)</translation>
    </message>
    <message>
        <source>Read-only connection</source>
        <translation>Connexion en lecture seule</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Lecture seule</translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation>Hors ligne : reconnexion…</translation>
    </message>
    <message>
        <source>Offline: next attempt in %1 s (Ctrl+R now)</source>
        <translation>Hors ligne : prochaine tentative dans %1 s (Ctrl+R tout de suite)</translation>
    </message>
    <message>
        <source>The connection to the server was lost. Your unsaved changes are kept; Save works again once the server is back.</source>
        <translation>La connexion au serveur a été perdue. Vos modifications non enregistrées sont conservées ; Enregistrer fonctionnera de nouveau quand le serveur sera revenu.</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <source>Other clients&apos; changes appear at once (the table&apos;s change trigger notifies pgdesk).</source>
        <translation>Les modifications des autres clients apparaissent aussitôt (le déclencheur de modifications de la table prévient pgdesk).</translation>
    </message>
    <message>
        <source>Live (polling: no notifications)</source>
        <translation>En direct (interrogation : pas de notifications)</translation>
    </message>
    <message>
        <source>pgdesk checks for other clients&apos; changes every 1.5 seconds: %1.</source>
        <translation>pgdesk vérifie les modifications des autres clients toutes les 1,5 secondes : %1.</translation>
    </message>
    <message>
        <source>Live (polling)</source>
        <translation>En direct (interrogation)</translation>
    </message>
    <message>
        <source>pgdesk checks for other clients&apos; changes every 1.5 seconds. Table ▸ Install change trigger makes them appear at once.</source>
        <translation>pgdesk vérifie les modifications des autres clients toutes les 1,5 secondes. Table ▸ Installer le déclencheur de modifications les fait apparaître aussitôt.</translation>
    </message>
    <message>
        <source>Live off</source>
        <translation>Direct désactivé</translation>
    </message>
    <message>
        <source>View ▸ Live updates turns it on; F5 refreshes by hand.</source>
        <translation>Affichage ▸ Mises à jour en direct l’active ; F5 actualise à la main.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unsaved edit(s) for rows another client deleted</source>
        <translation>
            <numerusform>%Ln modification non enregistrée concerne une ligne qu’un autre client a supprimée</numerusform>
            <numerusform>%Ln modifications non enregistrées concernent des lignes qu’un autre client a supprimées</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Lignes</translation>
    </message>
    <message>
        <source>Waiting for the server</source>
        <translation>En attente du serveur</translation>
    </message>
    <message>
        <source>Creates a trigram index so that filtering by name is fast</source>
        <translation>Crée un index trigramme pour que le filtrage par nom soit rapide</translation>
    </message>
    <message>
        <source>Rows deleted elsewhere</source>
        <translation>Lignes supprimées ailleurs</translation>
    </message>
    <message>
        <source>about rows %L1–%L2 of %3</source>
        <translation>environ les lignes %L1–%L2 sur %3</translation>
    </message>
    <message>
        <source>about matching rows %L1–%L2</source>
        <translation>environ les lignes correspondantes %L1–%L2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln matching row(s)</source>
        <translation>
            <numerusform>%Ln ligne correspondante</numerusform>
            <numerusform>%Ln lignes correspondantes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Showing the first %n match(es); searching for more… Esc stops.</source>
        <translation>
            <numerusform>Premier résultat affiché ; recherche des suivants… Échap l’arrête.</numerusform>
            <numerusform>Les %n premiers résultats sont affichés ; recherche des suivants… Échap l’arrête.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableBrowser</name>
    <message>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <source>Cancelled on the server; the rows shown are from before.</source>
        <translation>Annulé sur le serveur ; les lignes affichées sont celles d’avant.</translation>
    </message>
    <message>
        <source>Reading rows failed: %1</source>
        <translation>La lecture des lignes a échoué : %1</translation>
    </message>
    <message>
        <source>The rows could not be read:
%1</source>
        <translation>Les lignes n’ont pas pu être lues :
%1</translation>
    </message>
    <message>
        <source>No row has the name “%1”.</source>
        <translation>Aucune ligne ne s’appelle « %1 ».</translation>
    </message>
    <message>
        <source>No name contains “%1”.</source>
        <translation>Aucun nom ne contient « %1 ».</translation>
    </message>
    <message>
        <source>The table %1 has no rows.</source>
        <translation>La table %1 n’a aucune ligne.</translation>
    </message>
    <message>
        <source>Add row (%1) adds one.</source>
        <translation>Ajouter une ligne (%1) en ajoute une.</translation>
    </message>
    <message>
        <source>Create table</source>
        <translation>Créer la table</translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>Effacer le filtre</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Ajouter une ligne</translation>
    </message>
    <message>
        <source>Set to NULL</source>
        <translation>Mettre à NULL</translation>
    </message>
    <message>
        <source>No row has “%2” in %1.</source>
        <translation>Aucune ligne n’a « %2 » dans %1.</translation>
    </message>
    <message>
        <source>No %1 contains “%2”.</source>
        <translation>Aucune valeur de %1 ne contient « %2 ».</translation>
    </message>
    <message>
        <source>Rows cannot be sorted by %1: its type, %2, has no order.</source>
        <translation>Impossible de trier les lignes par %1 : son type, %2, n’a pas d’ordre.</translation>
    </message>
    <message>
        <source>Esc leaves the cell as it was.</source>
        <translation>Échap laisse la cellule telle qu’elle était.</translation>
    </message>
    <message>
        <source>No row where %1 %2.</source>
        <translation>Aucune ligne où %1 %2.</translation>
    </message>
    <message numerus="yes">
        <source>Search stopped: the %n match(es) found so far are shown; the next page searches on.</source>
        <translation>
            <numerusform>Recherche arrêtée : le résultat trouvé jusqu’ici est affiché ; la page suivante reprend la recherche.</numerusform>
            <numerusform>Recherche arrêtée : les %n résultats trouvés jusqu’ici sont affichés ; la page suivante reprend la recherche.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableModel</name>
    <message>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <source>Edit or undo it and save again. Nothing was written; your changes are still staged.</source>
        <translation>Modifiez-la ou annulez-la, puis enregistrez de nouveau. Rien n’a été écrit ; vos modifications restent en attente.</translation>
    </message>
    <message>
        <source>Take the other client&apos;s values</source>
        <translation>Prendre les valeurs de l’autre client</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>%1 (%2 characters)</source>
        <translation>%1 (%2 caractères)</translation>
    </message>
    <message>
        <source>The server fills this in when the row is saved.</source>
        <translation>Le serveur remplit ce champ à l’enregistrement de la ligne.</translation>
    </message>
    <message>
        <source>Marked for deletion: Save deletes this row from the database; Undo keeps it.</source>
        <translation>Marquée pour suppression : Enregistrer supprime cette ligne de la base ; Annuler la conserve.</translation>
    </message>
    <message>
        <source>Changed, not saved yet. The database holds: %1</source>
        <translation>Modifiée, pas encore enregistrée. La base contient : %1</translation>
    </message>
    <message>
        <source>New row, not saved yet.</source>
        <translation>Nouvelle ligne, pas encore enregistrée.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>new row, not saved</source>
        <translation>nouvelle ligne, non enregistrée</translation>
    </message>
    <message>
        <source>marked for deletion</source>
        <translation>marquée pour suppression</translation>
    </message>
    <message>
        <source>edited, not saved; the database holds %1</source>
        <translation>modifiée, non enregistrée ; la base contient %1</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>valeur par défaut du serveur</translation>
    </message>
    <message>
        <source>NULL value</source>
        <translation>valeur NULL</translation>
    </message>
    <message>
        <source>changed elsewhere</source>
        <translation>modifiée ailleurs</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Cannot be sorted: this type has no order.</source>
        <translation>Tri impossible : ce type n’a pas d’ordre.</translation>
    </message>
    <message>
        <source>the row with %1 %2</source>
        <translation>la ligne avec %1 %2</translation>
    </message>
    <message>
        <source>the row with %1 %2 (%3 &quot;%4&quot;)</source>
        <translation>la ligne avec %1 %2 (%3 « %4 »)</translation>
    </message>
    <message>
        <source>Computed by the server: read-only.</source>
        <translation>Calculée par le serveur : lecture seule.</translation>
    </message>
    <message>
        <source>The table has no primary key pgdesk can use, so rows cannot be saved.</source>
        <translation>La table n’a pas de clé primaire que pgdesk puisse utiliser : les lignes ne peuvent donc pas être enregistrées.</translation>
    </message>
    <message>
        <source>Another client changed the columns or the primary key of the table after you edited it, so your changes could land in other cells or rows. Nothing was written: discard them and edit again.</source>
        <translation>Un autre client a modifié les colonnes ou la clé primaire de la table après vos modifications : elles pourraient atterrir dans d’autres cellules ou lignes. Rien n’a été écrit : abandonnez-les et modifiez à nouveau.</translation>
    </message>
</context>
<context>
    <name>TablePickerDialog</name>
    <message>
        <source>Open table</source>
        <translation>Ouvrir une table</translation>
    </message>
    <message>
        <source>Search tables and views</source>
        <translation>Rechercher des tables et des vues</translation>
    </message>
    <message>
        <source>Search tables</source>
        <translation>Rechercher des tables</translation>
    </message>
    <message>
        <source>Tables and views</source>
        <translation>Tables et vues</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Lignes</translation>
    </message>
    <message>
        <source>Primary key</source>
        <translation>Clé primaire</translation>
    </message>
    <message>
        <source>Reading the database&apos;s tables…</source>
        <translation>Lecture des tables de la base…</translation>
    </message>
    <message>
        <source>The tables could not be read: %1</source>
        <translation>Les tables n’ont pas pu être lues : %1</translation>
    </message>
    <message>
        <source>table</source>
        <translation>table</translation>
    </message>
    <message>
        <source>partitioned table</source>
        <translation>table partitionnée</translation>
    </message>
    <message>
        <source>view</source>
        <translation>vue</translation>
    </message>
    <message>
        <source>materialized view</source>
        <translation>vue matérialisée</translation>
    </message>
    <message>
        <source>foreign table</source>
        <translation>table distante</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>about %L1</source>
        <translation>environ %L1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>none: opens read-only</source>
        <translation>aucune : ouverte en lecture seule</translation>
    </message>
    <message>
        <source>Without a primary key a row cannot be told apart from an identical one, so pgdesk does not edit it</source>
        <translation>Sans clé primaire, une ligne ne peut pas être distinguée d’une ligne identique : pgdesk ne la modifie donc pas</translation>
    </message>
    <message>
        <source>This database has no table or view you may read.</source>
        <translation>Cette base n’a aucune table ni vue que vous pouvez lire.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln table(s) and view(s). Row counts are the server&apos;s estimates.</source>
        <translation>
            <numerusform>%Ln table ou vue. Les nombres de lignes sont des estimations du serveur.</numerusform>
            <numerusform>%Ln tables et vues. Les nombres de lignes sont des estimations du serveur.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open in &amp;new window</source>
        <translation>Ouvrir dans une &amp;nouvelle fenêtre</translation>
    </message>
    <message>
        <source>Open the table in this window, in place of %1</source>
        <translation>Ouvrir la table dans cette fenêtre, à la place de %1</translation>
    </message>
    <message>
        <source>Open the table in a window of its own, beside this one (Ctrl+Enter)</source>
        <translation>Ouvrir la table dans sa propre fenêtre, à côté de celle-ci (Ctrl+Entrée)</translation>
    </message>
</context>
<context>
    <name>TableSwitcher</name>
    <message>
        <source>Open &amp;table…</source>
        <translation>Ouvrir une &amp;table…</translation>
    </message>
    <message>
        <source>Open another table or view of this database (%1)</source>
        <translation>Ouvrir une autre table ou vue de cette base (%1)</translation>
    </message>
    <message>
        <source>Save them before opening another table?</source>
        <translation>Les enregistrer avant d’ouvrir une autre table ?</translation>
    </message>
    <message>
        <source>Open table</source>
        <translation>Ouvrir une table</translation>
    </message>
    <message>
        <source>%1 is no longer in the database; nothing was opened.</source>
        <translation>%1 n’est plus dans la base ; rien n’a été ouvert.</translation>
    </message>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation>%1 n’a pas pu être ouverte : %2</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>%1 ouverte.</translation>
    </message>
    <message>
        <source>Opened %1 in a new window.</source>
        <translation>%1 ouverte dans une nouvelle fenêtre.</translation>
    </message>
</context>
<context>
    <name>TableWriter</name>
    <message>
        <source>Could not start a transaction: %1</source>
        <translation>Impossible de démarrer une transaction : %1</translation>
    </message>
    <message>
        <source>Committing failed: %1</source>
        <translation>La validation (commit) a échoué : %1</translation>
    </message>
    <message>
        <source>Saving was cancelled.</source>
        <translation>L’enregistrement a été annulé.</translation>
    </message>
    <message>
        <source>Nothing was written; your changes are still staged.</source>
        <translation>Rien n’a été écrit ; vos modifications restent en attente.</translation>
    </message>
    <message>
        <source>Deleting was cancelled.</source>
        <translation>La suppression a été annulée.</translation>
    </message>
    <message>
        <source>Saving %1 failed: %2</source>
        <translation>L’enregistrement de %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Saving %1 failed: the row no longer exists (another client deleted it).</source>
        <translation>L’enregistrement de %1 a échoué : la ligne n’existe plus (un autre client l’a supprimée).</translation>
    </message>
    <message>
        <source>Saving %1 stopped: another client changed it after you read it.</source>
        <translation>L’enregistrement de %1 s’est arrêté : un autre client l’a modifiée après que vous l’avez lue.</translation>
    </message>
    <message>
        <source>Saving new row %1 failed: %2</source>
        <translation>L’enregistrement de la nouvelle ligne %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Deleting %1 failed: %2</source>
        <translation>La suppression de %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Deleting %1 stopped: another client changed it after you read it.</source>
        <translation>La suppression de %1 s’est arrêtée : un autre client l’a modifiée après que vous l’avez lue.</translation>
    </message>
    <message>
        <source>The table has no primary key pgdesk can use, so rows cannot be saved.</source>
        <translation>La table n’a pas de clé primaire que pgdesk puisse utiliser : les lignes ne peuvent donc pas être enregistrées.</translation>
    </message>
    <message numerus="yes">
        <source>Saving %1 stopped: it matched %n rows, so the primary key no longer names one row (another client changed the table).</source>
        <translation>
            <numerusform>Enregistrement de %1 interrompu : %n ligne correspond, la clé primaire ne désigne donc plus une seule ligne (un autre client a modifié la table).</numerusform>
            <numerusform>Enregistrement de %1 interrompu : %n lignes correspondent, la clé primaire ne désigne donc plus une seule ligne (un autre client a modifié la table).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting stopped: the rows picked matched %n rows, so the primary key no longer names one row (another client changed the table). Nothing was deleted.</source>
        <translation>
            <numerusform>Suppression interrompue : les lignes choisies correspondent à %n ligne, la clé primaire ne désigne donc plus une seule ligne (un autre client a modifié la table). Rien n’a été supprimé.</numerusform>
            <numerusform>Suppression interrompue : les lignes choisies correspondent à %n lignes, la clé primaire ne désigne donc plus une seule ligne (un autre client a modifié la table). Rien n’a été supprimé.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimestampEdit</name>
    <message>
        <source>Microseconds</source>
        <translation>Microsecondes</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Date et heure</translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message>
        <source>Import failed</source>
        <translation>Échec de l’import</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Rien n’a été importé.</translation>
    </message>
    <message>
        <source>CSV or text (*.csv *.txt);;All files (*)</source>
        <translation>CSV ou texte (*.csv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Importing %1</source>
        <translation>Import de %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <source>Nothing was exported.</source>
        <translation>Rien n’a été exporté.</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>in the grid&apos;s order: by %1, ascending</source>
        <translation>dans l’ordre de la grille : par %1, croissant</translation>
    </message>
    <message>
        <source>in the grid&apos;s order: by %1, descending</source>
        <translation>dans l’ordre de la grille : par %1, décroissant</translation>
    </message>
    <message>
        <source>only rows named “%1”</source>
        <translation>seulement les lignes nommées « %1 »</translation>
    </message>
    <message>
        <source>only names containing “%1”</source>
        <translation>seulement les noms contenant « %1 »</translation>
    </message>
    <message>
        <source>Exporting to %1</source>
        <translation>Export vers %1</translation>
    </message>
    <message>
        <source>Exporting to %1, %2</source>
        <translation>Export vers %1, %2</translation>
    </message>
    <message>
        <source>Rows %1.</source>
        <translation>Lignes %1.</translation>
    </message>
    <message>
        <source>Unsaved changes are not in the file.</source>
        <translation>Les modifications non enregistrées ne sont pas dans le fichier.</translation>
    </message>
    <message>
        <source>only rows whose %1 is “%2”</source>
        <translation>uniquement les lignes dont %1 vaut « %2 »</translation>
    </message>
    <message>
        <source>only rows whose %1 contains “%2”</source>
        <translation>uniquement les lignes dont %1 contient « %2 »</translation>
    </message>
    <message>
        <source>only rows where %1 %2</source>
        <translation>seulement les lignes où %1 %2</translation>
    </message>
    <message>
        <source>Import rows</source>
        <translation>Importer des lignes</translation>
    </message>
    <message>
        <source>Importing %1, skipping rows whose %2 is already in the table</source>
        <translation>Import de %1, en ignorant les lignes dont la valeur de %2 est déjà dans la table</translation>
    </message>
    <message>
        <source>The table changed while the preview was open. Nothing was imported: import the file again.</source>
        <translation>La table a changé pendant que l’aperçu était ouvert. Rien n’a été importé : importez le fichier à nouveau.</translation>
    </message>
    <message>
        <source>The table became read-only while the preview was open. Nothing was imported.</source>
        <translation>La table est passée en lecture seule pendant que l’aperçu était ouvert. Rien n’a été importé.</translation>
    </message>
</context>
<context>
    <name>TransferProgressDialog</name>
    <message>
        <source>Transfer</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 ligne</translation>
    </message>
    <message>
        <source>%L1 rows</source>
        <translation>%L1 lignes</translation>
    </message>
    <message>
        <source>%L1 rows/s</source>
        <translation>%L1 lignes/s</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Transfer progress</source>
        <translation>Progression du transfert</translation>
    </message>
</context>
<context>
    <name>ValueCheck</name>
    <message>
        <source>A UUID: 32 hexadecimal digits, e.g. a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.</source>
        <translation>Un UUID : 32 chiffres hexadécimaux, par ex. a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.</translation>
    </message>
    <message>
        <source>JSON, e.g. {&quot;key&quot;: [1, &quot;two&quot;, null]}.</source>
        <translation>Du JSON, par ex. {&quot;key&quot;: [1, &quot;two&quot;, null]}.</translation>
    </message>
    <message numerus="yes">
        <source>At most %n character(s).</source>
        <translation>
            <numerusform>%n caractère au plus.</numerusform>
            <numerusform>%n caractères au plus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not a UUID. %1</source>
        <translation>Pas un UUID. %1</translation>
    </message>
    <message>
        <source>Not valid JSON at character %1: %2.</source>
        <translation>JSON non valide au caractère %1 : %2.</translation>
    </message>
    <message numerus="yes">
        <source>Too long for %1: it takes at most %n character(s), this has %2.</source>
        <translation>
            <numerusform>Trop long pour %1 : %n caractère au plus, celui-ci en a %2.</numerusform>
            <numerusform>Trop long pour %1 : %n caractères au plus, celui-ci en a %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>more text follows the value</source>
        <translation>du texte suit la valeur</translation>
    </message>
    <message>
        <source>the text ends before the value does</source>
        <translation>le texte s’arrête avant la fin de la valeur</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not expected here</source>
        <translation>« %1 » n’est pas attendu ici</translation>
    </message>
    <message>
        <source>a key must be a string in double quotes</source>
        <translation>une clé doit être une chaîne entre guillemets doubles</translation>
    </message>
    <message>
        <source>a &quot;:&quot; must follow the key</source>
        <translation>un « : » doit suivre la clé</translation>
    </message>
    <message>
        <source>a &quot;,&quot; or &quot;}&quot; must follow a value in an object</source>
        <translation>une « , » ou une « } » doit suivre une valeur dans un objet</translation>
    </message>
    <message>
        <source>a &quot;,&quot; or &quot;]&quot; must follow a value in an array</source>
        <translation>une « , » ou un « ] » doit suivre une valeur dans un tableau</translation>
    </message>
    <message>
        <source>only true, false and null are written without quotes</source>
        <translation>seuls true, false et null s’écrivent sans guillemets</translation>
    </message>
    <message>
        <source>a number is written as digits with an optional &quot;-&quot;, &quot;.&quot; and exponent, no leading zero</source>
        <translation>un nombre s’écrit en chiffres, avec « - », « . » et exposant facultatifs, sans zéro en tête</translation>
    </message>
    <message>
        <source>a string is not closed with &quot;</source>
        <translation>une chaîne n’est pas fermée par &quot;</translation>
    </message>
    <message>
        <source>a \u escape of a high surrogate must be followed by one of a low surrogate</source>
        <translation>un échappement \u de demi-codet haut doit être suivi d’un échappement de demi-codet bas</translation>
    </message>
    <message>
        <source>a control character in a string must be written as an escape, e.g. \n or \u%1</source>
        <translation>un caractère de contrôle dans une chaîne doit s’écrire en échappement, par ex. \n ou \u%1</translation>
    </message>
    <message>
        <source>\u must be followed by four hexadecimal digits</source>
        <translation>\u doit être suivi de quatre chiffres hexadécimaux</translation>
    </message>
    <message>
        <source>a \u escape of a low surrogate must follow one of a high surrogate</source>
        <translation>un échappement \u de demi-codet bas doit suivre un échappement de demi-codet haut</translation>
    </message>
    <message>
        <source>jsonb cannot hold \u0000</source>
        <translation>jsonb ne peut pas contenir \u0000</translation>
    </message>
    <message>
        <source>\%1 is not an escape JSON knows</source>
        <translation>\%1 n’est pas un échappement que JSON connaît</translation>
    </message>
    <message>
        <source>Not valid JSON at line %1, character %2: %3.</source>
        <translation>JSON non valide à la ligne %1, caractère %2 : %3.</translation>
    </message>
    <message>
        <source>An array, e.g. {1,2,3} or {&quot;a, b&quot;,NULL}: quote an element that holds a comma, a brace, a quote or spaces at its ends, and write \ before a quote or backslash inside it.</source>
        <translation>Un tableau, p. ex. {1,2,3} ou {&quot;a, b&quot;,NULL} : mettez entre guillemets un élément qui contient une virgule, une accolade, un guillemet ou des espaces aux extrémités, et écrivez \ devant un guillemet ou une barre oblique inverse qu’il contient.</translation>
    </message>
    <message>
        <source>Not an array: it starts with &quot;{&quot;. %1</source>
        <translation>Pas un tableau : il commence par « { ». %1</translation>
    </message>
    <message>
        <source>Nothing may follow the array&apos;s last &quot;}&quot; (character %1).</source>
        <translation>Rien ne peut suivre la dernière « } » du tableau (caractère %1).</translation>
    </message>
    <message>
        <source>An array has at most 6 dimensions.</source>
        <translation>Un tableau a au plus 6 dimensions.</translation>
    </message>
    <message>
        <source>A comma or &quot;}&quot; must follow an element or a sub-array (character %1).</source>
        <translation>Une virgule ou « } » doit suivre un élément ou un sous-tableau (caractère %1).</translation>
    </message>
    <message>
        <source>An element is missing before character %1; write &quot;&quot; for an empty text.</source>
        <translation>Il manque un élément avant le caractère %1 ; écrivez &quot;&quot; pour un texte vide.</translation>
    </message>
    <message>
        <source>The array ends inside an escape: a backslash is its last character.</source>
        <translation>Le tableau se termine dans un échappement : une barre oblique inverse est son dernier caractère.</translation>
    </message>
    <message>
        <source>A quoted element of the array is not closed: a &quot;&quot;&quot; is missing.</source>
        <translation>Un élément entre guillemets du tableau n’est pas fermé : il manque un « &quot; ».</translation>
    </message>
    <message>
        <source>Element %1 of the array: %2</source>
        <translation>Élément %1 du tableau : %2</translation>
    </message>
    <message>
        <source>The array is not closed: a &quot;}&quot; is missing.</source>
        <translation>Le tableau n’est pas fermé : il manque une « } ».</translation>
    </message>
</context>
<context>
    <name>ValueText</name>
    <message numerus="yes">
        <source>%1… (%Ln bytes)</source>
        <translation>
            <numerusform>%1… (%Ln octet)</numerusform>
            <numerusform>%1… (%Ln octets)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WholeTableScrollBar</name>
    <message>
        <source>about row %1 of %2</source>
        <translation>environ la ligne %1 sur %2</translation>
    </message>
    <message>
        <source>row %1 of %2</source>
        <translation>ligne %1 sur %2</translation>
    </message>
</context>
<context>
    <name>WindowLoader</name>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Edit a PostgreSQL table configured by a .env file (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE, PG_SSLMODE, PG_TABLE).
Without --env, ./.env is read, then ~/.config/pgdesk/.env; PGHOST and the other libpq variables fill in what the file leaves out.</source>
        <translation>Modifier une table PostgreSQL configurée par un fichier .env (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DATABASE, PG_SSLMODE, PG_TABLE).
Sans --env, ./.env est lu, puis ~/.config/pgdesk/.env ; PGHOST et les autres variables de libpq complètent ce que le fichier omet.</translation>
    </message>
    <message>
        <source>Displays version information.</source>
        <translation>Affiche les informations de version.</translation>
    </message>
    <message>
        <source>Read connection settings from FILE instead of searching for .env.</source>
        <translation>Lire les paramètres de connexion dans FILE au lieu de chercher un .env.</translation>
    </message>
    <message>
        <source>Show the window in LANG (en, de, fr) instead of the language chosen in View ▸ Language or the system&apos;s.</source>
        <translation>Afficher la fenêtre en LANG (en, de, fr) au lieu de la langue choisie dans Affichage ▸ Langue ou de celle du système.</translation>
    </message>
    <message>
        <source>A command from the list above; none opens the window.</source>
        <translation>Une commande de la liste ci-dessus ; sans commande, la fenêtre s’ouvre.</translation>
    </message>
</context>
</TS>
