// Counter-based dropout masks: the keep/drop decision of element i is a hash of (seed, i).
//
// Why: libtorch 1.13's CPU dropout draws a Bernoulli tensor element by element and keeps it in
// memory for the backward pass. A hash gives the same mask on any number of threads, needs no
// memory (the backward pass recomputes it) and costs a few instructions. The seed of each call
// is drawn from libtorch's default generator, so ManualSeed makes runs repeat exactly.
#pragma once

#include <ATen/CPUGeneratorImpl.h>

#include <cstdint>
#include <mutex>

namespace mlp {

// A 32-bit integer hash (Chris Wellons' "lowbias32"): good avalanche, and 32-bit multiplies,
// which vectorize (AVX2: 8 lanes), unlike a 64-bit mixer.
inline uint32_t hash32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

inline uint64_t draw_dropout_seed() {
  auto generator = at::detail::getDefaultCPUGenerator();
  auto* cpu = at::check_generator<at::CPUGeneratorImpl>(generator);
  std::lock_guard<std::mutex> lock(generator.mutex());
  return cpu->random64();
}

// Element i is kept when its uniform 32-bit draw is at or above `threshold` = p · 2^32. The draw
// hashes i with both halves of the call's seed (two rounds: neighbouring elements and seeds
// give unrelated draws).
struct DropoutMask {
  uint64_t seed;
  uint64_t threshold;

  static DropoutMask drawn(double p) { return DropoutMask{draw_dropout_seed(), static_cast<uint64_t>(p * 4294967296.0)}; }

  inline uint32_t draw(int64_t i) const {
    return hash32(hash32(static_cast<uint32_t>(i) ^ static_cast<uint32_t>(seed)) ^ static_cast<uint32_t>(seed >> 32));
  }

  inline bool kept(int64_t i) const { return draw(i) >= threshold; }
};

}  // namespace mlp
