"""``credpath serve``: the learner site and every finding, live, while the author edits.

A thin layer over the resident engine (``checks.workspace.Workspace``): ``live`` watches
the project's files and, after each save, asks the engine for the project as it is now
and makes a new ``site.Snapshot`` of it; ``server`` answers the browser from the latest
snapshot, adds the findings overlay to every page, and tells open pages when what they
show has changed (server-sent events).
"""
