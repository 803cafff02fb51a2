from hubguard.cli import main

main()
