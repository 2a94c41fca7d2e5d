from rolecompare.cli import main

main()
