-- Demo data for the embedded default only (the dev stack pushes it with --include-seed; never pushed to a
-- hosted project). The data platform adds the demo organisation here once its tables exist.
select 1;
