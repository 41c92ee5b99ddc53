from probity.cli import app

app(prog_name="probity")
