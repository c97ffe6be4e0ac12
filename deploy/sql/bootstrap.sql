-- One schema and one login role per service; a service's role can reach only its own schema.
-- Idempotent: run by deploy/local/postgres.sh and by the Postgres container's init script.
-- Development passwords equal the role names; production creates the roles out of band.
-- A cluster that holds only some services (a database per service, docs/operations.md) names
-- them in the setting `contacts.services` (a comma-separated list, e.g. PGOPTIONS=
-- '-c contacts.services=directory,invitations'); unset, it holds all five.
REVOKE ALL ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE
  service text;
  role_name text;
  services text := coalesce(nullif(current_setting('contacts.services', true), ''),
                            'directory,contacts,importer,invitations,web');
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  FOREACH service IN ARRAY string_to_array(replace(services, ' ', ''), ',') LOOP
    role_name := service || '_svc';
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', role_name, role_name);
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), role_name);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, role_name);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', role_name, service);
  END LOOP;
END
$$;
