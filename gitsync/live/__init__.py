"""Live state: what a project looks like in the Connect API, as plain frozen values, and its reads.

``state`` holds the values (no API, no pydantic: the pure planner imports them); ``read`` is the one place
that turns API representations into them and makes the reads (plan, apply and import share it).
"""
