-- Every tenant policy filters on tenant_id: an index that leads with it keeps each tenant's queries off a full scan
-- (docs/rules/TG2010.md). contacts, transactions, ai_memories and idempotency_keys have one in their UNIQUE keys.
CREATE INDEX todo_items_tenant_idx ON todo_items (tenant_id, created_at);
CREATE INDEX approvals_tenant_idx ON approvals (tenant_id);
CREATE INDEX background_jobs_tenant_idx ON background_jobs (tenant_id);
