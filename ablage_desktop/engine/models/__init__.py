"""Which models are resident, in what state, and who reads a page: the manager and the router."""
