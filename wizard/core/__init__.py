"""The draft loop with no UI: field specs, session state, engine, answers, journal."""
