from dynoscale.cli import main

main()
