from selfcare_tui.launcher import main

if __name__ == "__main__":  # not when a worker process imports it (routines.workers)
    raise SystemExit(main())
