/**
 * Versioned schema migrations. Each entry runs once, in order, inside a transaction; the schema
 * version is kept in `PRAGMA user_version`. Never edit a shipped migration: add a new one.
 */
export const migrations: readonly string[] = [
  // 1: conversations, messages as a tree, the model library.
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    model_id TEXT,
    system_prompt TEXT,
    sampling_json TEXT NOT NULL DEFAULT '{}',
    active_leaf_id TEXT
  );
  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL,
    thinking TEXT,
    status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'interrupted', 'error')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    model_id TEXT,
    model_name TEXT,
    load_settings_json TEXT,
    sampling_json TEXT,
    prompt_tokens INTEGER,
    evaluated_prompt_tokens INTEGER,
    completion_tokens INTEGER,
    ttft_ms REAL,
    tokens_per_second REAL,
    stop_reason TEXT,
    error_code TEXT,
    dropped_messages INTEGER
  );
  CREATE INDEX messages_by_conversation ON messages(conversation_id, created_at);
  CREATE INDEX messages_by_parent ON messages(parent_id);
  CREATE INDEX conversations_by_update ON conversations(updated_at DESC);
  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    file_size INTEGER NOT NULL,
    architecture TEXT,
    parameter_count REAL,
    quantization TEXT,
    context_length INTEGER,
    has_chat_template INTEGER NOT NULL,
    source_repo TEXT,
    storage TEXT NOT NULL CHECK (storage IN ('copied', 'referenced', 'downloaded')),
    added_at INTEGER NOT NULL,
    last_used_at INTEGER,
    load_defaults_json TEXT
  );
  `,
  // 2: full-text search over message text (FTS5, kept in step by triggers).
  `
  CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
  INSERT INTO messages_fts(rowid, content) SELECT rowid, content FROM messages;
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
  END;
  `,
  // 3: app settings, one JSON value a key.
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
  `,
  // 4: bench runs (spec and hardware fingerprint) and their rows.
  `
  CREATE TABLE bench_runs (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'interrupted')),
    spec_json TEXT NOT NULL,
    hardware_json TEXT
  );
  CREATE TABLE bench_rows (
    run_id TEXT NOT NULL REFERENCES bench_runs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    row_json TEXT NOT NULL,
    PRIMARY KEY (run_id, idx)
  );
  CREATE INDEX bench_runs_by_date ON bench_runs(created_at DESC);
  `,
  // 5: downloads (resumable across restarts) and the network log of every outbound request.
  `
  CREATE TABLE downloads (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    repo TEXT NOT NULL,
    quant TEXT NOT NULL,
    files_json TEXT NOT NULL,
    dest_dir TEXT NOT NULL,
    total_bytes INTEGER NOT NULL,
    received_bytes INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    message TEXT,
    error_json TEXT,
    model_id TEXT,
    -- The process running it: another Hearth on the same data dir leaves a live one alone.
    owner_pid INTEGER
  );
  CREATE TABLE network_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    host TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  `,
  // 6: the process that owns a streaming reply or a running bench (pid and start time), so crash
  // recovery leaves alone what another live Hearth on the same data folder is doing.
  `
  ALTER TABLE messages ADD COLUMN owner_pid INTEGER;
  ALTER TABLE messages ADD COLUMN owner_started INTEGER;
  ALTER TABLE bench_runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE bench_runs ADD COLUMN owner_started INTEGER;
  ALTER TABLE downloads ADD COLUMN owner_started INTEGER;
  CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';
  `,
  // 7: where a copied model was copied from, so importing the same file again copies nothing.
  `
  ALTER TABLE models ADD COLUMN source_path TEXT;
  CREATE INDEX models_by_source ON models(source_path) WHERE source_path IS NOT NULL;
  `,
  // 8: search and the sidebar at scale (10,000 conversations, 200,000 messages). A conversation
  // keeps its message count (a COUNT per listed row cost ~10 ms a page), and the full-text index
  // keeps 2- and 3-letter prefix indexes, so search-as-you-type need not walk every term.
  `
  ALTER TABLE conversations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
  UPDATE conversations SET message_count = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id);
  CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
    UPDATE conversations SET message_count = message_count + 1 WHERE id = new.conversation_id;
  END;
  CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
    UPDATE conversations SET message_count = message_count - 1 WHERE id = old.conversation_id;
  END;
  DROP TABLE messages_fts;
  CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
  INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
  `,
  // 9: the proxy a request went through (null: direct).
  `
  ALTER TABLE network_log ADD COLUMN via TEXT;
  `,
  // 10: document collections. A document's text is kept page by page (citations point into it);
  // its chunks are indexed for full-text search, and their vectors live in a sqlite-vec table per
  // collection (vec_<collection rowid>, made when the first vector's size is known).
  `
  CREATE TABLE collections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at INTEGER NOT NULL,
    embedding_model_id TEXT,
    embedding_model_name TEXT,
    embedding_dims INTEGER
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    pages_without_text_json TEXT NOT NULL DEFAULT '[]',
    chunk_count INTEGER NOT NULL DEFAULT 0,
    indexed_at INTEGER NOT NULL,
    UNIQUE (collection_id, path)
  );
  CREATE TABLE document_pages (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (document_id, page)
  );
  CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    page INTEGER NOT NULL,
    heading TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX chunks_by_document ON chunks(document_id);
  CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='chunks', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
  CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  END;
  CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab('chunks_fts', 'row');
  `,
  // 11: conversations that answer from document collections, the sources each reply cites, and
  // the pages of a document whose text was read by OCR.
  `
  ALTER TABLE conversations ADD COLUMN collection_ids_json TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE messages ADD COLUMN citations_json TEXT;
  ALTER TABLE documents ADD COLUMN pages_read_json TEXT NOT NULL DEFAULT '[]';
  `,
  // 12: review grids: questions (columns) over a collection's documents, and their answered cells.
  `
  CREATE TABLE grids (
    id TEXT PRIMARY KEY,
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    model_id TEXT,
    columns_json TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX grids_by_collection ON grids(collection_id);
  CREATE TABLE grid_cells (
    grid_id TEXT NOT NULL REFERENCES grids(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    column_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    value_json TEXT,
    citations_json TEXT NOT NULL DEFAULT '[]',
    edited INTEGER NOT NULL DEFAULT 0,
    error_json TEXT,
    model_ms REAL,
    total_ms REAL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (grid_id, document_id, column_id)
  );
  CREATE INDEX grid_cells_by_document ON grid_cells(document_id);
  `,
  // 13: the name the user gave a model in the library (null: the one Hearth derives), and the
  // sampling its chats start from.
  `
  ALTER TABLE models ADD COLUMN display_name TEXT;
  ALTER TABLE models ADD COLUMN sampling_defaults_json TEXT;
  `,
  // 14: the model a collection's searches are reranked with (null: none).
  `
  ALTER TABLE collections ADD COLUMN reranker_model_id TEXT;
  ALTER TABLE collections ADD COLUMN reranker_model_name TEXT;
  `,
  // 15: remote engines, OpenAI-compatible servers whose models chat like local ones (their keys
  // are in the secret vault, never here).
  `
  CREATE TABLE remote_engines (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    base_url TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 16: passages are put in the full-text index by the code that stores them, in the same
  // transaction: through a trigger FTS5 wrote its pending terms out after every row (each trigger
  // is a savepoint), which made indexing a long document ~3x slower.
  `
  DROP TRIGGER chunks_fts_insert;
  `,
  // 17: a document is written while it is read (a draft: its pages, passages and full-text index
  // as they come, so the index overlaps the reading) and becomes visible, with its vectors, in one
  // transaction at the end. `draft_pid`: null once finished, else the process writing it (the app
  // and the CLI may both), so a run discards only drafts whose writer is gone.
  `
  ALTER TABLE documents ADD COLUMN draft_pid INTEGER;
  `,
];
