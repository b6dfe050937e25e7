from curriculum_gen.cli import main

main()
