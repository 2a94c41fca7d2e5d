"""Example texts that ship with rolecompare (`rolecompare check --example`)."""
