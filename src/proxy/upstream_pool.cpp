#include "proxy/upstream_pool.h"

#include <algorithm>

#include "net/recycler.h"

namespace gatehouse::proxy {

namespace {
// Enough for every backend connection busy at once on a worker under a benchmark's load.
using ScratchRecycler = net::Recycler<ResponseScratch, 128>;
}  // namespace

UpstreamConnection::~UpstreamConnection() {
  if (scratch_state && scratch_state->buffer.empty()) release_scratch();
  metrics.upstream_connection_closed();
}

ResponseScratch& UpstreamConnection::scratch() {
  if (!scratch_state) scratch_state = ScratchRecycler::take();
  return *scratch_state;
}

void UpstreamConnection::release_scratch() {
  if (scratch_state->buffer.capacity() != ResponseScratch::buffer_size) {
    // A body made it grow: the free list keeps buffers of one size only.
    scratch_state->buffer = net::ByteBuffer(ResponseScratch::buffer_size);
  }
  ScratchRecycler::give_back(std::move(scratch_state));
}

std::unique_ptr<UpstreamConnection> UpstreamPool::take(const std::string& key, bool verify_open) {
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  auto& idle = it->second;
  while (!idle.empty()) {
    // Most recently used first: it is the least likely to have been closed by the backend.
    auto connection = std::move(idle.back());
    idle.pop_back();
    if (!verify_open || !connection->stream.peer_closed()) return connection;
  }
  return nullptr;
}

void UpstreamPool::give_back(std::unique_ptr<UpstreamConnection> connection) {
  auto& idle = idle_[connection->key];
  if (idle.size() >= max_idle_per_endpoint) return;  // closed by its destructor
  connection->idle_since = std::chrono::steady_clock::now();
  connection->release_scratch();
  idle.push_back(std::move(connection));
}

void UpstreamPool::sweep(std::chrono::steady_clock::time_point now) {
  for (auto& [key, idle] : idle_) {
    std::erase_if(idle, [&](const auto& c) { return now - c->idle_since > max_idle_time; });
  }
}

}  // namespace gatehouse::proxy
