from selfcare_tui.cli import main

raise SystemExit(main())
