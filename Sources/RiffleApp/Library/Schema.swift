import GRDB

/// The library's schema, as migrations from the first version on. A migration, once released, is
/// never edited: a change is a new migration.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs and takes") { db in
            try db.create(table: "job") { table in
                table.primaryKey("id", .text)
                table.column("kind", .text).notNull()
                table.column("status", .text).notNull().indexed()
                table.column("prompt", .text).notNull()
                table.column("request", .text).notNull()
                table.column("parent_take_id", .text)
                table.column("engine", .text).notNull()
                table.column("error", .text)
                table.column("created_at", .datetime).notNull().indexed()
                table.column("started_at", .datetime)
                table.column("finished_at", .datetime)
            }
            try db.create(table: "take") { table in
                table.primaryKey("id", .text)
                table.column("job_id", .text).notNull().indexed().references("job", onDelete: .cascade)
                table.column("variation", .integer).notNull()
                table.column("seed", .integer).notNull()
                table.column("duration", .double).notNull()
                table.column("sample_rate", .integer).notNull()
                table.column("format", .text).notNull()
                table.column("audio_path", .text).notNull()
                table.column("midi_path", .text)
                table.column("stems", .text)
                table.column("interpretation", .text).notNull()
                table.column("engine_state", .blob)
                table.column("loudness", .double).notNull()
                table.column("true_peak", .double).notNull()
                table.column("score", .double)
                table.column("score_parts", .text)
                table.column("rating", .integer).check { $0 == nil || ($0 >= 1 && $0 <= 5) }
                table.column("picked", .boolean).notNull().defaults(to: false)
                table.column("parent_take_id", .text).references("take", onDelete: .setNull)
                table.column("inference_seconds", .double).notNull()
                table.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2: the process running a job") { db in
            // Lets a second Riffle (a `riffle list` while a batch runs) tell a running job from
            // one a crash cut off.
            try db.alter(table: "job") { table in
                table.add(column: "owner_pid", .integer)
            }
        }
        migrator.registerMigration("v3: typed engine, outputs, cache key, sections and waveforms") { db in
            // The engine was "name version" text; it becomes a JSON document like the request.
            try db.execute(sql: """
                UPDATE job SET engine = json_object(
                    'name', substr(engine, 1, instr(engine, ' ') - 1), 'version', substr(engine, instr(engine, ' ') + 1))
                WHERE json_valid(engine) = 0 AND instr(engine, ' ') > 0
                """)
            try db.alter(table: "job") { table in
                table.add(column: "model", .text)
                // Jobs made before this migration wrote MIDI and, when asked, stems; which is not known.
                table.add(column: "outputs", .text).notNull().defaults(to: #"{"midi":true,"stems":false}"#)
                table.add(column: "cache_key", .text)
            }
            try db.create(index: "job_on_cache_key", on: "job", columns: ["cache_key"])
            try db.alter(table: "take") { table in
                table.add(column: "sections", .text).notNull().defaults(to: "[]")
            }
            try db.create(table: "waveform") { table in
                table.column("take_id", .text).notNull().references("take", onDelete: .cascade)
                table.column("lane", .integer).notNull()
                table.column("name", .text).notNull()
                table.column("peaks", .blob).notNull()
                table.primaryKey(["take_id", "lane"])
            }
        }
        migrator.registerMigration("v4: API keys, usage and API jobs") { db in
            // Keys for `riffle serve`. Only the key's hash is kept: a copied database gives no access.
            // The webhook secret is kept whole, since signing a webhook needs it.
            try db.create(table: "api_key") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull().unique()
                table.column("prefix", .text).notNull()
                table.column("key_hash", .text).notNull().unique()
                table.column("webhook_secret", .text).notNull()
                table.column("requests_per_minute", .integer)
                table.column("concurrency", .integer)
                table.column("max_duration", .double)
                table.column("monthly_minutes", .double)
                table.column("created_at", .datetime).notNull()
                table.column("revoked_at", .datetime)
                table.column("last_used_at", .datetime)
            }
            // Requests per key in fixed one-minute windows, kept here so limits hold across restarts
            // and between processes sharing the library.
            try db.create(table: "api_rate_window") { table in
                table.column("key_id", .text).notNull()
                table.column("window_start", .integer).notNull()
                table.column("count", .integer).notNull()
                table.primaryKey(["key_id", "window_start"])
            }
            // Seconds of audio charged per key and UTC month ("2026-12").
            try db.create(table: "api_usage_month") { table in
                table.column("key_id", .text).notNull()
                table.column("month", .text).notNull()
                table.column("seconds", .double).notNull()
                table.primaryKey(["key_id", "month"])
            }
            // What the API knows of a job beside the job itself; it goes with the job.
            try db.create(table: "api_job") { table in
                table.primaryKey("job_id", .text).references("job", onDelete: .cascade)
                table.column("key_id", .text)
                table.column("webhook_url", .text)
                table.column("webhook_events", .text).notNull().defaults(to: "[]")
                table.column("idempotency_key", .text)
                table.column("request_digest", .text)
                table.column("charged_seconds", .double).notNull().defaults(to: 0)
                table.column("created_at", .datetime).notNull()
            }
            // One job per idempotency key and API key; ifnull makes keyless jobs (a server run without
            // keys) unique too, where a plain index would count every NULL key_id as distinct.
            try db.execute(sql: """
                CREATE UNIQUE INDEX api_job_on_key_and_idempotency_key ON api_job (ifnull(key_id, ''), idempotency_key)
                """)
        }
        migrator.registerMigration("v5: webhook deliveries") { db in
            // No foreign key to job: a delivery's record outlives a deleted job. The payload and the
            // secret are kept so a restarted server resumes pending deliveries exactly as they were.
            try db.create(table: "webhook_delivery") { table in
                table.primaryKey("id", .text)
                table.column("job_id", .text).notNull().indexed()
                table.column("key_id", .text)
                table.column("url", .text).notNull()
                table.column("event", .text).notNull()
                table.column("payload", .blob).notNull()
                table.column("secret", .text).notNull()
                table.column("status", .text).notNull()
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("next_attempt_at", .datetime).notNull()
                table.column("last_status", .integer)
                table.column("last_error", .text)
                table.column("created_at", .datetime).notNull()
                table.column("delivered_at", .datetime)
            }
            // What the dispatcher asks for: pending deliveries by when they are due.
            try db.create(index: "webhook_delivery_on_status_next_attempt_at", on: "webhook_delivery",
                          columns: ["status", "next_attempt_at"])
        }
        return migrator
    }
}
