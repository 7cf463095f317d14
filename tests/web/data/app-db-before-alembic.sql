-- The app database as parity made it before Alembic (Base.metadata.create_all, Dec 2026):
-- a site admin lead@example.org and an analyst of R0A (password: correct horse battery staple),
-- their sessions, a failed sign-in and the audit log. tests/web/test_migrations.py upgrades it.
BEGIN TRANSACTION;
CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	user_email VARCHAR(254) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	org_code VARCHAR(20), 
	detail TEXT NOT NULL, 
	address VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "audit_log" VALUES(1,'2026-12-02 04:38:25.015511','lead@example.org','sign_in',NULL,'','testclient');
INSERT INTO "audit_log" VALUES(2,'2026-12-02 04:38:26.397937','analyst@example.org','sign_in_failed',NULL,'','testclient');
CREATE TABLE invitations (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	org_code VARCHAR(20), 
	role VARCHAR(20) NOT NULL, 
	site_admin BOOLEAN NOT NULL, 
	created_by INTEGER, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE login_failures (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE memberships (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	org_code VARCHAR(20) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (user_id, org_code), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO "memberships" VALUES(1,2,'R0A','analyst');
CREATE TABLE report_jobs (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	org_code VARCHAR(20) NOT NULL, 
	year INTEGER NOT NULL, 
	unsuppressed BOOLEAN NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	error TEXT NOT NULL, 
	out_dir VARCHAR(1000) NOT NULL, 
	created_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE sessions (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO "sessions" VALUES(1,'f08896be6f6c04ac4f656619c776e31c738e007d4d0107b902aed489c2a3c882',1,'2026-12-02 04:38:25.046372','2026-12-02 16:38:25.014232');
CREATE TABLE uploads (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	org_code VARCHAR(20) NOT NULL, 
	table_name VARCHAR(40) NOT NULL, 
	preset VARCHAR(80), 
	file_name VARCHAR(255) NOT NULL, 
	path VARCHAR(1000) NOT NULL, 
	mapping_path VARCHAR(1000), 
	created_at DATETIME NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	password_hash VARCHAR(200) NOT NULL, 
	is_site_admin BOOLEAN NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "users" VALUES(1,'lead@example.org','lead','$argon2id$v=19$m=65536,t=3,p=4$cXQlDu9u/Csov3+DNFilHQ$mYRabDJVOz0dg2PPPV1ZNbhamG/hDZNhxnbqapbcAWQ',1,1,'2026-12-02 04:38:22.417377');
INSERT INTO "users" VALUES(2,'analyst@example.org','analyst','$argon2id$v=19$m=65536,t=3,p=4$VmloCP6SQ1nCi3jtarokmA$ACmbfeXGlf4l6Ib/vw3HpPPa5pKol1qko26GyRp7z+g',0,1,'2026-12-02 04:38:23.509981');
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE UNIQUE INDEX ix_invitations_token_hash ON invitations (token_hash);
CREATE INDEX ix_login_failures_key ON login_failures ("key");
CREATE INDEX ix_login_failures_at ON login_failures (at);
CREATE INDEX ix_audit_log_action ON audit_log (action);
CREATE INDEX ix_audit_log_org_code ON audit_log (org_code);
CREATE INDEX ix_audit_log_at ON audit_log (at);
CREATE UNIQUE INDEX ix_uploads_key ON uploads ("key");
CREATE INDEX ix_report_jobs_org_code ON report_jobs (org_code);
CREATE INDEX ix_memberships_org_code ON memberships (org_code);
CREATE INDEX ix_memberships_user_id ON memberships (user_id);
CREATE UNIQUE INDEX ix_sessions_token_hash ON sessions (token_hash);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);
COMMIT;
