"""Reference outputs of xoshiro256** seeded through SplitMix64 (SeededRandomTests.cs), an
independent implementation of the published algorithms (Blackman and Vigna).

Run: /usr/bin/python3 tests/MLPipelines.Tests/References/seeded_random.py
"""
MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def xoshiro(seed, count):
    state, s = seed, []
    for _ in range(4):
        state, value = splitmix64(state)
        s.append(value)
    out = []
    for _ in range(count):
        out.append((rotl((s[1] * 5) & MASK, 7) * 9) & MASK)
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out


for seed in (0, 42):
    print(seed, [f"{v}UL" for v in xoshiro(seed, 4)])
