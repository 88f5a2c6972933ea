def launch():
    return 0
