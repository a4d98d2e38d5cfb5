from jobsift.cli import main

main()
