from sim.cli.exodus import main

main()
