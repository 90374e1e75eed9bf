from timingboard.cli import run

run()
