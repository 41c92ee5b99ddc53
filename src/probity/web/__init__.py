"""The web application: the review queue, person pages and the run report, each also JSON."""
