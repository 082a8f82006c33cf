import hashlib
from sim.run.simulate import simulate
from sim.config.compose import check, compose
for o in ([], ["policy=retention_bonus"]):
    r = simulate(check(compose(o)), seed=7)
    print(o, hashlib.md5(r.daily.to_csv().encode()+r.departures.to_csv().encode()).hexdigest())
