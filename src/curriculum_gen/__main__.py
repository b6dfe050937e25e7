from curriculum_gen.cli.app import main

main()
