// The subscription store at WSO2 scale: 1,000,000 subscriptions of 100,000 applications (two
// consumer keys each) to 1,000 APIs. BM_SubscriptionStoreBuild reports the build time and the
// store's memory per subscription (bytes malloc holds for it, and the process's RSS growth);
// targets: under 10 s, under 256 bytes. The lookup rows are the per-request cost.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "security/identity/subscription_store.h"

namespace gatehouse::identity {
namespace {

constexpr size_t application_count = 100'000;
constexpr size_t apis_per_application = 10;
constexpr size_t api_count = 1'000;
constexpr const char* key_manager = "Resident Key Manager";

std::string application_id(size_t index) {
  char id[40];
  std::snprintf(id, sizeof(id), "%08zx-4b1c-4d2e-9f3a-%012zx", index * 2654435761u % 0xffffffffu,
                index);
  return id;
}

std::string consumer_key(size_t application, KeyType type) {
  return (type == KeyType::production ? "Pk" : "Sk") + std::to_string(application) +
         "xK3n9FqL2mW8vR5tY7uE1oA";
}

std::string api_name(size_t api) {
  return "Api" + std::to_string(api) + ":1.0.0";
}

// The i-th API of an application: ten distinct APIs per application, spread over all of them.
size_t api_of(size_t application, size_t nth) {
  return (application * 7 + nth * 101) % api_count;
}

struct Records {
  std::vector<Application> applications;
  std::vector<Subscription> subscriptions;
};

Records make_records() {
  static const char* tiers[] = {"Unlimited", "Gold", "Silver", "Bronze"};
  static const SubscriptionState states[] = {
      SubscriptionState::unblocked, SubscriptionState::unblocked, SubscriptionState::unblocked,
      SubscriptionState::blocked, SubscriptionState::prod_only_blocked};
  Records records;
  records.applications.reserve(application_count);
  records.subscriptions.reserve(application_count * apis_per_application);
  for (size_t a = 0; a < application_count; ++a) {
    Application application;
    application.id = application_id(a);
    application.name = "Application " + std::to_string(a);
    application.owner = "subscriber" + std::to_string(a % 5000);
    application.tier = tiers[a % 4];
    application.keys = {{key_manager, consumer_key(a, KeyType::production), KeyType::production},
                        {key_manager, consumer_key(a, KeyType::sandbox), KeyType::sandbox}};
    for (size_t n = 0; n < apis_per_application; ++n) {
      records.subscriptions.push_back(
          {application.id, api_name(api_of(a, n)), tiers[(a + n) % 4], states[(a + n) % 5]});
    }
    records.applications.push_back(std::move(application));
  }
  return records;
}

size_t malloc_bytes_in_use() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;  // arena chunks in use + mmap-ed chunks
}

size_t resident_bytes() {
  long pages = 0, resident = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(statm);
  }
  return static_cast<size_t>(resident) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

void BM_SubscriptionStoreBuild(benchmark::State& state) {
  Records records = make_records();
  for (auto _ : state) {
    malloc_trim(0);
    size_t malloc_before = malloc_bytes_in_use();
    size_t rss_before = resident_bytes();
    auto start = std::chrono::steady_clock::now();
    auto store = SubscriptionStore::build(records.applications, records.subscriptions);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!store) {
      state.SkipWithError(store.error().front().message.c_str());
      break;
    }
    auto count = static_cast<double>(store->subscription_count());
    state.counters["subscriptions"] = count;
    state.counters["build_s"] = seconds;
    state.counters["malloc_B/sub"] =
        static_cast<double>(malloc_bytes_in_use() - malloc_before) / count;
    state.counters["rss_B/sub"] = static_cast<double>(resident_bytes() - rss_before) / count;
  }
}
BENCHMARK(BM_SubscriptionStoreBuild)->Iterations(1)->Unit(benchmark::kMillisecond);

const SubscriptionStore& shared_store() {
  static const SubscriptionStore store = [] {
    Records records = make_records();
    return std::move(*SubscriptionStore::build(records.applications, records.subscriptions));
  }();
  return store;
}

// The request path after token validation: consumer key to application, then its subscription.
void BM_KeyThenSubscription(benchmark::State& state) {
  const SubscriptionStore& store = shared_store();
  std::vector<ApiId> api_ids;
  for (size_t api = 0; api < api_count; ++api) api_ids.push_back(*store.api_id(api_name(api)));
  std::mt19937 random(7);
  struct Request {
    std::string key;
    ApiId api;
  };
  std::vector<Request> requests;
  for (int i = 0; i < 4096; ++i) {
    size_t application = random() % application_count;
    KeyType type = i % 2 ? KeyType::sandbox : KeyType::production;
    requests.push_back({consumer_key(application, type),
                        api_ids[api_of(application, random() % apis_per_application)]});
  }
  size_t next = 0;
  for (auto _ : state) {
    const Request& request = requests[next];
    next = (next + 1) % requests.size();
    std::optional<KeyOwner> owner = store.find_key(key_manager, request.key);
    if (!owner) {
      state.SkipWithError("a consumer key was not found");
      break;
    }
    Admission admission = store.admit(owner->application->index, request.api, owner->type);
    benchmark::DoNotOptimize(admission);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyThenSubscription);

void BM_SubscriptionLookup(benchmark::State& state) {
  const SubscriptionStore& store = shared_store();
  std::mt19937 random(11);
  std::vector<std::pair<AppIndex, ApiId>> lookups;
  for (int i = 0; i < 4096; ++i) {
    size_t application = random() % application_count;
    lookups.emplace_back(
        static_cast<AppIndex>(application),
        *store.api_id(api_name(api_of(application, random() % apis_per_application))));
  }
  size_t next = 0;
  for (auto _ : state) {
    auto [application, api] = lookups[next];
    next = (next + 1) % lookups.size();
    benchmark::DoNotOptimize(store.admit(application, api, KeyType::production));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SubscriptionLookup);

}  // namespace
}  // namespace gatehouse::identity
