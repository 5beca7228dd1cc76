"""The central store's schema on PostgreSQL, one step per version, like the local one.

Append-only: a released step is never edited. Step n turns a version n-1 store into version n;
the version is kept in `skeptic.schema_version`. Steps run as the store's owner (an
administrator), in one transaction each, under an advisory lock so two set-ups cannot collide.

What the steps build:
- `changes`: every revision a workstation sent, keyed by (workstation, sequence number). It only
  grows: a replayed batch is an insert that already happened (`ON CONFLICT DO NOTHING`).
- `trainees`, `calls`, `turns`, keyed by UUID: the newest revision of each record, kept by a
  trigger on `changes` that runs as the owner, so workstations never write them directly.
- `tombstones`: deleted (or merged) trainees; numbered, so workstations pull only new ones.
- `scenarios`: scenario files trainers published for every workstation.
- `manager_scope` and the view `my_trainees`: the trainees each manager looks after.
- roles `skeptic_workstation` (may insert only its own changes, may read tombstones and
  scenarios) and `skeptic_manager` (may only read), both NOLOGIN groups that logins join.
"""

from __future__ import annotations

LOCK_ID = 0x536B6570  # "Skep": the advisory lock taken while the schema is changed

CENTRAL_ID = "00000000-0000-0000-0000-000000000000"  # the workstation id of central deletions

_VERSION_1 = r"""
CREATE SCHEMA IF NOT EXISTS skeptic;

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'skeptic_workstation') THEN
        CREATE ROLE skeptic_workstation NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'skeptic_manager') THEN
        CREATE ROLE skeptic_manager NOLOGIN;
    END IF;
END $$;

CREATE TABLE skeptic.workstations (
    id uuid PRIMARY KEY,
    login name NOT NULL DEFAULT current_user,
    registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE skeptic.changes (
    workstation_id uuid NOT NULL REFERENCES skeptic.workstations (id),
    seq bigint NOT NULL CHECK (seq > 0),
    kind text NOT NULL CHECK (kind IN ('trainee', 'call', 'turn', 'tombstone', 'checkpoint')),
    uuid uuid,
    record jsonb NOT NULL,
    digest text COLLATE "C" NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workstation_id, seq)
);

CREATE TABLE skeptic.trainees (
    uuid uuid PRIMARY KEY,
    name text NOT NULL,
    team text,
    branch text,
    workstation_id uuid NOT NULL,
    revised_at text COLLATE "C" NOT NULL,
    digest text COLLATE "C" NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX trainees_by_team ON skeptic.trainees (team);
CREATE INDEX trainees_by_branch ON skeptic.trainees (branch);

CREATE TABLE skeptic.calls (
    uuid uuid PRIMARY KEY,
    trainee_uuid uuid NOT NULL,
    workstation_id uuid NOT NULL,
    started_at text COLLATE "C" NOT NULL,
    ending text,
    empathy double precision,
    composure double precision,
    turn_count integer NOT NULL,
    revised_at text COLLATE "C" NOT NULL,
    digest text COLLATE "C" NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX calls_by_trainee ON skeptic.calls (trainee_uuid, started_at);

CREATE TABLE skeptic.turns (
    uuid uuid PRIMARY KEY,
    call_uuid uuid NOT NULL,
    trainee_uuid uuid NOT NULL,
    workstation_id uuid NOT NULL,
    revised_at text COLLATE "C" NOT NULL,
    digest text COLLATE "C" NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX turns_by_call ON skeptic.turns (call_uuid);
CREATE INDEX turns_by_trainee ON skeptic.turns (trainee_uuid);

CREATE TABLE skeptic.tombstones (
    id bigserial PRIMARY KEY,
    uuid uuid NOT NULL UNIQUE,
    replaced_by uuid,
    deleted_at text COLLATE "C" NOT NULL,
    workstation_id uuid NOT NULL,
    record jsonb NOT NULL
);

CREATE TABLE skeptic.scenarios (
    id text PRIMARY KEY,
    body text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now()
);

-- The trainee a UUID stands for now: itself, the one it was merged into, or NULL if deleted.
CREATE FUNCTION skeptic.resolve_trainee(start uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = skeptic, pg_temp AS $$
DECLARE
    current_uuid uuid := start;
    next_uuid uuid;
    found_it boolean;
BEGIN
    FOR step IN 1..100 LOOP
        SELECT true, replaced_by INTO found_it, next_uuid FROM tombstones WHERE uuid = current_uuid;
        IF found_it IS NULL THEN RETURN current_uuid; END IF;
        IF next_uuid IS NULL THEN RETURN NULL; END IF;
        current_uuid := next_uuid;
        found_it := NULL;
    END LOOP;
    RETURN NULL;
END $$;

-- Carry out one tombstone: remove the trainee with their calls and turns, or move the calls to
-- the trainee they were merged into (a revision dated by the tombstone, as on workstations).
CREATE FUNCTION skeptic.carry_out_tombstone(gone uuid) RETURNS void
LANGUAGE plpgsql SET search_path = skeptic, pg_temp AS $$
DECLARE
    kept uuid := resolve_trainee(gone);
    moved_at text;
BEGIN
    SELECT deleted_at INTO moved_at FROM tombstones WHERE uuid = gone;
    IF kept IS NULL THEN
        DELETE FROM turns WHERE trainee_uuid = gone;
        DELETE FROM calls WHERE trainee_uuid = gone;
    ELSE
        UPDATE calls SET trainee_uuid = kept,
            revised_at = greatest(revised_at, moved_at COLLATE "C"),
            record = record || jsonb_build_object('trainee_uuid', kept::text,
                'revised_at', greatest(revised_at, moved_at COLLATE "C"))
        WHERE trainee_uuid = gone;
        UPDATE turns SET trainee_uuid = kept,
            record = record || jsonb_build_object('trainee_uuid', kept::text)
        WHERE trainee_uuid = gone;
    END IF;
    DELETE FROM trainees WHERE uuid = gone;
END $$;

-- Applies a statement's new changes to the tables of records: the newest revision wins.
CREATE FUNCTION skeptic.apply_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = skeptic, pg_temp AS $$
BEGIN
    INSERT INTO tombstones (uuid, replaced_by, deleted_at, workstation_id, record)
    SELECT DISTINCT ON (f.uuid) f.uuid, (record ->> 'replaced_by')::uuid, record ->> 'deleted_at',
        (record ->> 'workstation_id')::uuid, record
    FROM fresh AS f WHERE kind = 'tombstone' ORDER BY f.uuid, f.seq
    ON CONFLICT (uuid) DO NOTHING;
    PERFORM carry_out_tombstone(uuid) FROM fresh WHERE kind = 'tombstone';

    INSERT INTO trainees (uuid, name, team, branch, workstation_id, revised_at, digest, record)
    SELECT DISTINCT ON (f.uuid) f.uuid, record ->> 'name', record ->> 'team', record ->> 'branch',
        (record ->> 'workstation_id')::uuid, record ->> 'revised_at', digest, record
    FROM fresh AS f WHERE kind = 'trainee' AND resolve_trainee(f.uuid) = f.uuid
    ORDER BY f.uuid, (record ->> 'revised_at') COLLATE "C" DESC, digest DESC
    ON CONFLICT (uuid) DO UPDATE SET name = excluded.name, team = excluded.team,
        branch = excluded.branch, revised_at = excluded.revised_at, digest = excluded.digest,
        record = excluded.record
    WHERE (excluded.revised_at, excluded.digest) > (trainees.revised_at, trainees.digest);

    INSERT INTO calls (uuid, trainee_uuid, workstation_id, started_at, ending, empathy,
        composure, turn_count, revised_at, digest, record)
    SELECT DISTINCT ON (incoming.uuid) incoming.uuid, kept, (record ->> 'workstation_id')::uuid,
        record ->> 'started_at', record ->> 'ending', (record ->> 'empathy')::double precision,
        (record ->> 'composure')::double precision, (record ->> 'turn_count')::integer,
        record ->> 'revised_at', digest,
        record || jsonb_build_object('trainee_uuid', kept::text)
    FROM (SELECT *, resolve_trainee((record ->> 'trainee_uuid')::uuid) AS kept
          FROM fresh WHERE kind = 'call') AS incoming
    WHERE kept IS NOT NULL
    ORDER BY incoming.uuid, (record ->> 'revised_at') COLLATE "C" DESC, digest DESC
    ON CONFLICT (uuid) DO UPDATE SET trainee_uuid = excluded.trainee_uuid,
        started_at = excluded.started_at, ending = excluded.ending, empathy = excluded.empathy,
        composure = excluded.composure, turn_count = excluded.turn_count,
        revised_at = excluded.revised_at, digest = excluded.digest, record = excluded.record
    WHERE (excluded.revised_at, excluded.digest) > (calls.revised_at, calls.digest);

    INSERT INTO turns (uuid, call_uuid, trainee_uuid, workstation_id, revised_at, digest, record)
    SELECT DISTINCT ON (incoming.uuid) incoming.uuid, (record ->> 'call_uuid')::uuid, kept,
        (record ->> 'workstation_id')::uuid, record ->> 'revised_at', digest,
        record || jsonb_build_object('trainee_uuid', kept::text)
    FROM (SELECT *, resolve_trainee((record ->> 'trainee_uuid')::uuid) AS kept
          FROM fresh WHERE kind = 'turn') AS incoming
    WHERE kept IS NOT NULL
    ORDER BY incoming.uuid, (record ->> 'revised_at') COLLATE "C" DESC, digest DESC
    ON CONFLICT (uuid) DO UPDATE SET trainee_uuid = excluded.trainee_uuid,
        revised_at = excluded.revised_at, digest = excluded.digest, record = excluded.record
    WHERE (excluded.revised_at, excluded.digest) > (turns.revised_at, turns.digest);
    RETURN NULL;
END $$;

CREATE TRIGGER changes_applied AFTER INSERT ON skeptic.changes
    REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT EXECUTE FUNCTION skeptic.apply_changes();

-- An administrator deletes a trainee centrally; workstations remove them at their next sync.
CREATE FUNCTION skeptic.delete_trainee(gone uuid) RETURNS void
LANGUAGE plpgsql SET search_path = skeptic, pg_temp AS $$
DECLARE
    deleted text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"');
BEGIN
    INSERT INTO tombstones (uuid, replaced_by, deleted_at, workstation_id, record)
    VALUES (gone, NULL, deleted, '00000000-0000-0000-0000-000000000000',
        jsonb_build_object('uuid', gone::text, 'replaced_by', NULL, 'deleted_at', deleted,
            'workstation_id', '00000000-0000-0000-0000-000000000000'))
    ON CONFLICT (uuid) DO NOTHING;
    PERFORM carry_out_tombstone(gone);
END $$;

-- Progress for managers, by branch and by team (calls with at least one turn).
CREATE VIEW skeptic.progress_by_branch AS
SELECT coalesce(trainees.branch, '') AS branch, count(DISTINCT trainees.uuid) AS trainees,
    count(*) AS calls, sum(calls.turn_count) AS turns, round(avg(calls.empathy)::numeric, 1)
    AS empathy, round(avg(calls.composure)::numeric, 1) AS composure,
    round(100.0 * count(*) FILTER (WHERE calls.ending = 'resolved') / count(*), 1) AS resolved,
    max(calls.started_at) AS last_call
FROM skeptic.calls JOIN skeptic.trainees ON trainees.uuid = calls.trainee_uuid
WHERE calls.turn_count > 0
GROUP BY coalesce(trainees.branch, '');

CREATE VIEW skeptic.progress_by_team AS
SELECT coalesce(trainees.team, '') AS team, count(DISTINCT trainees.uuid) AS trainees,
    count(*) AS calls, sum(calls.turn_count) AS turns, round(avg(calls.empathy)::numeric, 1)
    AS empathy, round(avg(calls.composure)::numeric, 1) AS composure,
    round(100.0 * count(*) FILTER (WHERE calls.ending = 'resolved') / count(*), 1) AS resolved,
    max(calls.started_at) AS last_call
FROM skeptic.calls JOIN skeptic.trainees ON trainees.uuid = calls.trainee_uuid
WHERE calls.turn_count > 0
GROUP BY coalesce(trainees.team, '');

-- The trainees each manager looks after: by team, by branch, or both (the owner fills it in).
CREATE TABLE skeptic.manager_scope (
    login name NOT NULL,
    team text,
    branch text,
    CHECK (team IS NOT NULL OR branch IS NOT NULL)
);

-- A manager's own trainees (current_user is the manager reading), with their calls' figures.
CREATE VIEW skeptic.my_trainees AS
SELECT trainees.name, trainees.team, trainees.branch, count(calls.uuid) AS calls,
    round(avg(calls.empathy)::numeric, 1) AS empathy,
    round(avg(calls.composure)::numeric, 1) AS composure, max(calls.started_at) AS last_call
FROM skeptic.trainees LEFT JOIN skeptic.calls
    ON calls.trainee_uuid = trainees.uuid AND calls.turn_count > 0
WHERE EXISTS (
    SELECT FROM skeptic.manager_scope AS scope
    WHERE scope.login = current_user
        AND (scope.team IS NULL OR scope.team = trainees.team)
        AND (scope.branch IS NULL OR scope.branch = trainees.branch))
GROUP BY trainees.uuid, trainees.name, trainees.team, trainees.branch;

-- Least privilege. Workstations: register themselves, insert and read only their own changes,
-- read tombstones and scenarios. Managers: read only.
REVOKE ALL ON SCHEMA skeptic FROM PUBLIC;
GRANT USAGE ON SCHEMA skeptic TO skeptic_workstation, skeptic_manager;
GRANT SELECT ON skeptic.schema_version TO skeptic_workstation, skeptic_manager;
GRANT SELECT, INSERT ON skeptic.workstations, skeptic.changes TO skeptic_workstation;
GRANT SELECT ON skeptic.tombstones, skeptic.scenarios TO skeptic_workstation;
GRANT SELECT ON skeptic.trainees, skeptic.calls, skeptic.turns, skeptic.tombstones,
    skeptic.scenarios, skeptic.workstations, skeptic.progress_by_branch,
    skeptic.progress_by_team, skeptic.my_trainees TO skeptic_manager;
REVOKE EXECUTE ON FUNCTION skeptic.delete_trainee(uuid), skeptic.apply_changes(),
    skeptic.carry_out_tombstone(uuid) FROM PUBLIC;

ALTER TABLE skeptic.workstations ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_login ON skeptic.workstations TO skeptic_workstation
    USING (login = current_user) WITH CHECK (login = current_user);
CREATE POLICY managers_read ON skeptic.workstations FOR SELECT TO skeptic_manager USING (true);
ALTER TABLE skeptic.changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_changes ON skeptic.changes TO skeptic_workstation
    USING (workstation_id IN (SELECT id FROM skeptic.workstations WHERE login = current_user))
    WITH CHECK (workstation_id IN (
        SELECT id FROM skeptic.workstations WHERE login = current_user));
"""

# Each step is SQL run in one transaction; the list only ever grows.
CENTRAL_MIGRATIONS: tuple[str, ...] = (_VERSION_1,)
CENTRAL_SCHEMA_VERSION = len(CENTRAL_MIGRATIONS)
