"""Use cases shared by the blueprints and the command line. Each public function is one unit of work."""
