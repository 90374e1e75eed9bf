from timingboard.launch import run

run()
