from rolecompare.main import main

main()
