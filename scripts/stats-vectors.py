#!/usr/bin/env python3
"""Regenerate src/stats/test-vectors.json: reference values for the stats room computed with mpmath
at 60 significant digits. Every value is a natural logarithm (ln p), so far tails down to
log10 p = -1000 and beyond stay representable as doubles.

Usage: python3 scripts/stats-vectors.py > src/stats/test-vectors.json
"""
import json
import sys

from mpmath import mp, mpf, log, betainc, gammainc, erfc, sqrt, loggamma, binomial, inf, fsum

mp.dps = 60


def f(x):
    return float(x)


def log_pmf(k, n, p):
    return loggamma(n + 1) - loggamma(k + 1) - loggamma(n - k + 1) + k * log(p) + (n - k) * log(1 - p)


def tail_sum(k, n, p, step):
    """Sum of pmf(j) for j = k, k + step, ... until the terms vanish (step = +1 upper, -1 lower)."""
    p = mpf(p)
    term = mp.e ** log_pmf(k, n, p)
    total = term
    j = k
    while 0 <= j + step <= n:
        ratio = (n - j) / mpf(j + 1) * p / (1 - p) if step > 0 else j / mpf(n - j + 1) * (1 - p) / p
        term *= ratio
        j += step
        total += term
        if term < total * mpf(10) ** -70:
            break
    return total


def binomial_tails(k, n, p):
    """(P(X >= k), P(X <= k)) summed on the short side and complemented at 60 digits."""
    if k <= 0:
        upper = mpf(1)
        lower = tail_sum(0, n, p, -1) if k == 0 else mpf(0)
        return upper, lower
    if k >= n:
        return tail_sum(n, n, p, 1), mpf(1)
    if k >= n * p:
        upper = tail_sum(k, n, p, 1)
        return upper, 1 - upper + mp.e ** log_pmf(k, n, mpf(p))
    lower = tail_sum(k, n, p, -1)
    return 1 - lower + mp.e ** log_pmf(k, n, mpf(p)), lower


def binomial_cases():
    cases = []
    for n, p in [(1, 0.25), (10, 0.25), (50, 0.25), (200, 0.25), (200, 0.5), (1000, 0.25), (5000, 0.25),
                 (4000, 0.5), (30000, 0.5), (100000, 0.25), (143000, 0.25), (1000000, 0.5), (6000000, 0.5),
                 (500, 0.001), (500, 0.9), (2000, 0.25)]:
        mean = n * p
        sd = (n * p * (1 - p)) ** 0.5
        ks = {0, 1, n, max(0, n - 1), int(mean), int(mean) + 1}
        for z in [-3, -1, 0.5, 1, 2, 4, 8, 16, 40, 80, 160]:
            k = int(round(mean + z * sd))
            if 0 <= k <= n:
                ks.add(k)
        for k in sorted(ks):
            upper, lower = binomial_tails(k, n, p)
            cases.append([k, n, p, f(log(upper)), f(log(lower)), f(log_pmf(k, n, mpf(p)))])
    return cases


def far_binomial_cases():
    """Tails near log10 p = -1000 (the range the detectors must report honestly)."""
    cases = []
    for n, p, k in [(1661, 0.25, 1661), (2000, 0.25, 1800), (4000, 0.25, 2600), (10000, 0.25, 4600),
                    (20000, 0.5, 14500), (100000, 0.25, 33000), (1000000, 0.5, 532000)]:
        cases.append([k, n, p, f(log(tail_sum(k, n, p, 1)))])
    return cases


def beta_lower_series(x, a, b):
    """I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * 2F1(a + b, 1; a + 1; x) (Abramowitz & Stegun 26.5.23)."""
    x, a, b = mpf(x), mpf(a), mpf(b)
    prefactor = mp.e ** (a * log(x) + b * log(1 - x) - (loggamma(a) + loggamma(b) - loggamma(a + b))) / a
    return prefactor * mp.hyp2f1(a + b, 1, a + 1, x, maxterms=10**7)


def beta_reference(x, a, b):
    if x < a / (a + b):
        return beta_lower_series(x, a, b)
    return 1 - beta_lower_series(1 - mpf(x), b, a)


def beta_cases():
    cases = []
    for x, a, b in [(0.3, 0.5, 0.5), (0.7, 2.5, 3.5), (0.01, 10.0, 1.5), (0.5, 1000.5, 999.5), (0.2, 1e5, 3e5),
                    (0.999, 0.1, 40.0), (0.25, 12345.6, 20000.1), (0.9, 5.0, 0.25)]:
        cases.append([x, a, b, f(log(beta_reference(x, a, b)))])
    return cases


def gamma_tails(a, x):
    """(Q(a, x), P(a, x)): the series on the lower side, mpmath's upper gamma above the mean."""
    a, x = mpf(a), mpf(x)
    if x < a:
        lower = mp.e ** (a * log(x) - x - loggamma(a + 1)) * mp.hyp1f1(1, a + 1, x, maxterms=10**7)
        return 1 - lower, lower
    upper = gammainc(a, x, inf, regularized=True)
    return upper, 1 - upper


def gamma_cases():
    cases = []
    for a in [0.5, 1.0, 2.5, 10.0, 200.0, 10000.0, 143000.0, 1000000.0]:
        sd = a ** 0.5
        xs = {a * 0.01, max(a - 3 * sd, a * 0.05), a, a + 1, a + sd, a + 4 * sd, a + 10 * sd, 2 * a + 30, 5 * a + 100}
        for x in sorted(xs):
            if x <= 0:
                continue
            upper, lower = gamma_tails(a, x)
            cases.append([a, x, f(log(upper)), f(log(lower))])
    for a, x in [(50.0, 2400.0), (1000.0, 4000.0), (200.0, 2500.0), (10000.0, 15200.0)]:
        upper, lower = gamma_tails(a, x)
        cases.append([a, x, f(log(upper)), f(log(lower))])
    return cases


def normal_cases():
    cases = []
    for z in [-8, -3, -1, -0.1, 0, 0.1, 1, 1.96, 3, 5, 8, 10, 20, 37.5, 50, 67.6]:
        zz = mpf(z)
        cases.append([z, f(log(erfc(zz / sqrt(2)) / 2))])
    return cases


def log_gamma_cases():
    return [[x, f(loggamma(mpf(x)))] for x in [0.001, 0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 10, 10.5, 100, 12345.678, 1e6, 1e9]]


def fisher_cases():
    cases = []
    for a, b, c, d in [(3, 1, 1, 3), (10, 2, 3, 15), (0, 5, 5, 0), (40, 60, 25, 75), (120, 880, 80, 920), (7, 0, 0, 7)]:
        white, black, n = a + c, b + d, a + b
        low, high = max(0, n - black), min(n, white)
        total = binomial(white + black, n)
        probs = {x: binomial(white, x) * binomial(black, n - x) / total for x in range(low, high + 1)}
        obs = probs[a]
        greater = fsum(v for x, v in probs.items() if x >= a)
        less = fsum(v for x, v in probs.items() if x <= a)
        two = fsum(v for v in probs.values() if v <= obs * (1 + mpf(10) ** -7))
        cases.append([[[a, b], [c, d]], f(log(greater)), f(log(less)), f(log(min(two, 1)))])
    return cases


def main():
    data = {
        "generator": "scripts/stats-vectors.py (mpmath, 60 digits); every value is a natural log",
        "log_gamma": log_gamma_cases(),
        "binomial": binomial_cases(),
        "binomial_far": far_binomial_cases(),
        "beta": beta_cases(),
        "gamma": gamma_cases(),
        "normal": normal_cases(),
        "fisher": fisher_cases(),
    }
    json.dump(data, sys.stdout, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
