from selfcare_tui.launcher import main

raise SystemExit(main())
