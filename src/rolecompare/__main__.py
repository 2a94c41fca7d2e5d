try:
    from rolecompare.main import main
except KeyboardInterrupt:  # Ctrl-C while the entry point itself is being imported
    import sys

    if sys.stderr is not None:
        sys.stderr.write("rolecompare: interrupted\n")
    sys.exit(130)

main()
