"""Server-rendered pages served by the API app (the console of issue 05 grows from this shell)."""
