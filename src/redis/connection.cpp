#include "redis/connection.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "net/as_result.h"
#include "observability/log.h"

#include <array>
#include <string>
#include <utility>

#include "net/stream.h"
#include "redis/backoff.h"
#include "redis/command.h"
#include "redis/dial.h"
#include "redis/errors.h"
#include "redis/sentinel.h"
#include "redis/switch_watcher.h"
#include "redis/waiting_callers.h"

namespace gatehouse::redis {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Handler = WaitingCallers::Handler;

namespace {

using net::as_result;
constexpr size_t read_size = 16 * 1024;

// The counters have one writer, the worker: a plain load and store, no locked increment.
void bump(std::atomic<uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

std::string milliseconds_text(Clock::duration duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count()) +
         " ms";
}

}  // namespace

class Connection::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, Settings settings)
      : executor_(std::move(executor)),
        settings_(std::move(settings)),
        locator_(settings_),
        backoff_(settings_.reconnect_min, settings_.reconnect_max),
        waiting_(settings_.command_timeout),
        retry_timer_(executor_),
        expiry_timer_(executor_) {
    if (!settings_.sentinels.empty()) {
      // Called only until stop(), which ~Connection calls while this is alive.
      watcher_ = std::make_shared<SwitchWatcher>(
          executor_, settings_, [this](const Address& master) { on_switch(master); });
    }
  }

  void start() {
    asio::co_spawn(executor_, run(shared_from_this()), asio::detached);
    if (watcher_) asio::co_spawn(executor_, watcher_->run(watcher_), asio::detached);
  }
  void stop();
  void submit(std::span<const std::string_view> args, Handler handler);

  std::optional<Address> server() const {
    if (!session_ || !session_->open) return std::nullopt;
    return session_->server;
  }

  Stats stats;

 private:
  // One TCP connection, from its handshake to its end. A new connection is a new Session, so
  // that the loops of an ended one, still unwinding, never touch its successor.
  struct Session {
    Session(net::Stream connected, Address to, const asio::any_io_executor& executor)
        : stream(std::move(connected)),
          server(std::move(to)),
          read_buffer(std::make_unique<char[]>(read_size)),
          wake(executor, Clock::time_point::max()) {}

    net::Stream stream;
    Address server;
    ReplyReader reader;
    std::unique_ptr<char[]> read_buffer;
    std::string queued;       // formatted commands not yet handed to a write
    std::string writing;      // the write in flight
    asio::steady_timer wake;  // the writer waits on it, idle; cancel() wakes it
    bool writer_idle = false;
    bool open = true;
  };

  asio::awaitable<void> run(std::shared_ptr<Impl> self);
  asio::awaitable<std::expected<std::shared_ptr<Session>, Error>> establish();
  asio::awaitable<void> read_loop(std::shared_ptr<Session> session);
  asio::awaitable<void> write_loop(std::shared_ptr<Impl> self, std::shared_ptr<Session> session);
  void deliver(Reply reply);
  void end_session(const std::string& why);

  void on_switch(const Address& master);
  void watch_deadlines(Clock::time_point now);
  void on_deadline();

  // What the errors name: the server of the current or last connection, or what was configured.
  std::string where() const {
    if (session_) return "redis " + to_string(session_->server);
    if (!settings_.sentinels.empty()) return "redis master '" + settings_.master_name + "'";
    return "redis " + to_string(settings_.address);
  }

  // Callers resume through the io_context, never inside the reader or the timer that answers
  // them. The Result is made in the posted call: moving an expected that holds an Error makes
  // g++ 12 warn, wrongly, of an uninitialised string in the Reply beside it.
  void answer(Handler handler, Reply reply) {
    asio::post(executor_, [handler = std::move(handler), reply = std::move(reply)]() mutable {
      std::move(handler)(Result(std::move(reply)));
    });
  }
  void fail(Handler handler, Error error) {
    bump(stats.failed_commands);
    if (error.kind() == ErrorKind::timeout) bump(stats.timed_out_commands);
    asio::post(executor_, [handler = std::move(handler), error = std::move(error)]() mutable {
      std::move(handler)(Result(std::unexpect, std::move(error)));
    });
  }

  asio::any_io_executor executor_;
  const Settings settings_;
  MasterLocator locator_;
  std::shared_ptr<SwitchWatcher> watcher_;  // with Sentinels
  Backoff backoff_;
  WaitingCallers waiting_;
  std::shared_ptr<Session> session_;  // the current or last connection
  asio::steady_timer retry_timer_;    // the back-off between attempts
  asio::steady_timer expiry_timer_;   // the next deadline of a waiting caller
  bool expiry_armed_ = false;
  bool stopped_ = false;
};

// --- commands -----------------------------------------------------------------------------

void Connection::Impl::submit(std::span<const std::string_view> args, Handler handler) {
  if (!session_ || !session_->open) {
    fail(std::move(handler), failure(ErrorKind::unreachable, where(), "not connected"));
    return;
  }
  if (waiting_.size() >= settings_.max_pending) {
    fail(std::move(handler),
         failure(ErrorKind::timeout, session_->server,
                 std::to_string(waiting_.size()) + " commands are waiting for replies already"));
    return;
  }
  Session& session = *session_;
  append_command(session.queued, args);
  const Clock::time_point now = Clock::now();
  waiting_.push(std::move(handler), now);
  if (!expiry_armed_) watch_deadlines(now);
  if (session.writer_idle) {
    session.writer_idle = false;
    session.wake.cancel();
  }
}

// One write in flight at a time; what callers queue meanwhile leaves with the next one. The
// writer resumes through the io_context, so the commands of every coroutine that ran before it
// are in that next write too.
asio::awaitable<void> Connection::Impl::write_loop(std::shared_ptr<Impl> self,
                                                   std::shared_ptr<Session> session) {
  Session& s = *session;
  while (s.open) {
    if (s.queued.empty()) {
      s.writer_idle = true;
      co_await s.wake.async_wait(as_result);
      s.writer_idle = false;
      continue;
    }
    std::swap(s.queued, s.writing);
    const net::IoResult written = co_await s.stream.write(asio::buffer(s.writing));
    s.writing.clear();
    if (written.error && s.open) end_session("sending: " + written.error.message());
  }
}

asio::awaitable<void> Connection::Impl::read_loop(std::shared_ptr<Session> session) {
  Session& s = *session;
  while (s.open) {
    const net::IoResult read = co_await s.stream.read_some(s.read_buffer.get(), read_size);
    // Ended meanwhile (a deadline, stop()): what this read brought belongs to callers who
    // have been answered already.
    if (!s.open) break;
    if (read.error) {
      end_session(read.error == asio::error::eof ? std::string("closed by the server")
                                                 : read.error.message());
      break;
    }
    if (!s.reader.feed({s.read_buffer.get(), read.bytes})) {
      end_session("out of memory for replies");
      break;
    }
    while (s.open) {
      auto reply = s.reader.next();
      if (!reply) {
        end_session("not RESP: " + reply.error());
        break;
      }
      if (!*reply) break;
      deliver(std::move(**reply));
    }
  }
}

void Connection::Impl::deliver(Reply reply) {
  if (waiting_.empty()) {
    end_session("a reply to no command");
    return;
  }
  // A demoted master refuses writes: its replacement is found by asking the Sentinels again.
  const bool demoted = !settings_.sentinels.empty() && reply.error_code() == "READONLY";
  if (Handler handler = waiting_.pop()) answer(std::move(handler), std::move(reply));
  if (demoted) end_session("the server is a replica now (READONLY)");
}

// --- deadlines ----------------------------------------------------------------------------

// One timer for the whole queue: it wakes at the next caller's deadline (or when the oldest
// command would count as unanswered for dead_after, if sooner). The callers queued later have
// later deadlines, so queueing one never moves the wake earlier and costs no timer operation.
void Connection::Impl::watch_deadlines(Clock::time_point now) {
  if (waiting_.empty()) {
    expiry_armed_ = false;
    return;
  }
  const Clock::time_point dead_at = waiting_.oldest_sent() + settings_.dead_after;
  expiry_armed_ = true;
  expiry_timer_.expires_at(std::min(waiting_.next_deadline(), dead_at));
  expiry_timer_.async_wait(
      [self = shared_from_this()](const net::error_code&) { self->on_deadline(); });
}

void Connection::Impl::on_deadline() {
  if (stopped_) {
    expiry_armed_ = false;
    return;
  }
  const Clock::time_point now = Clock::now();
  const std::string server = where();
  waiting_.expire(now, [&](Handler handler) {
    fail(std::move(handler),
         failure(ErrorKind::timeout, server,
                 "no reply within " + milliseconds_text(settings_.command_timeout)));
  });
  if (!waiting_.empty() && now - waiting_.oldest_sent() >= settings_.dead_after) {
    end_session("no reply for " + milliseconds_text(now - waiting_.oldest_sent()));
  }
  watch_deadlines(now);
}

// --- connecting ---------------------------------------------------------------------------

asio::awaitable<void> Connection::Impl::run(std::shared_ptr<Impl> self) {
  bool first = true;
  while (!stopped_) {
    auto session = co_await establish();
    if (stopped_) {
      if (session) (*session)->stream.close();
      break;
    }
    if (!session) {
      bump(stats.connect_failures);
      const auto delay = backoff_.next();
      observability::log::warn("redis: {}; next attempt in {} ms", session.error().describe(),
                               delay.count());
      retry_timer_.expires_after(delay);
      co_await retry_timer_.async_wait(as_result);
      continue;
    }
    backoff_.reset();
    if (!first) bump(stats.reconnects);
    first = false;
    session_ = std::move(*session);
    stats.connected.store(true, std::memory_order_relaxed);
    observability::log::info("redis: connected to {}", to_string(session_->server));

    asio::co_spawn(executor_, write_loop(self, session_), asio::detached);
    co_await read_loop(session_);
    if (stopped_) break;
    retry_timer_.expires_after(backoff_.next());
    co_await retry_timer_.async_wait(as_result);
  }
}

// Where to connect (the address, or the master the Sentinels name), then the connection and its
// handshake in one exchange: AUTH, SELECT, and ROLE with Sentinels (the master they named may
// have been demoted since) or else PING.
asio::awaitable<std::expected<std::shared_ptr<Connection::Impl::Session>, Error>>
Connection::Impl::establish() {
  const bool sentinel = !settings_.sentinels.empty();
  Address server = settings_.address;
  if (sentinel) {
    auto master = co_await locator_.locate();
    if (!master) co_return std::unexpected(std::move(master.error()));
    server = std::move(*master);
  }

  std::string handshake;
  std::vector<std::string_view> sent;  // each command's name, for errors
  if (!settings_.password.empty()) {
    if (settings_.username.empty()) {
      const std::array<std::string_view, 2> auth = {"AUTH", settings_.password};
      append_command(handshake, auth);
    } else {
      const std::array<std::string_view, 3> auth = {"AUTH", settings_.username, settings_.password};
      append_command(handshake, auth);
    }
    sent.push_back("AUTH");
  }
  const std::string db = std::to_string(settings_.db);
  if (settings_.db != 0) {
    const std::array<std::string_view, 2> select = {"SELECT", db};
    append_command(handshake, select);
    sent.push_back("SELECT");
  }
  const std::array<std::string_view, 1> check = {sentinel ? "ROLE" : "PING"};
  append_command(handshake, check);
  sent.push_back(check[0]);

  auto dialed = co_await dial(server, handshake, sent.size(), settings_.connect_timeout);
  if (!dialed) co_return std::unexpected(std::move(dialed.error()));
  for (size_t i = 0; i < sent.size(); ++i) {
    const Reply& reply = dialed->replies[i];
    if (reply.is_error()) {
      dialed->stream.close();
      co_return std::unexpected(failure(ErrorKind::unreachable, server,
                                        std::string(sent[i]) + " refused: " + reply.text));
    }
  }
  if (sentinel) {
    const Reply& role = dialed->replies.back();
    if (role.type != Reply::Type::array || role.elements.empty() ||
        role.elements[0].text != "master") {
      dialed->stream.close();
      co_return std::unexpected(failure(ErrorKind::unreachable, server,
                                        "named master by the Sentinels, but not a master"));
    }
  }
  co_return std::make_shared<Session>(std::move(dialed->stream), std::move(server), executor_);
}

// Ends the current connection: its waiting callers fail now, and the reconnect loop takes over
// once the reader has returned.
void Connection::Impl::end_session(const std::string& why) {
  if (!session_ || !session_->open) return;
  Session& s = *session_;
  s.open = false;
  s.stream.close();
  s.wake.cancel();
  s.queued.clear();
  stats.connected.store(false, std::memory_order_relaxed);
  waiting_.drain([&](Handler handler) {
    fail(std::move(handler), failure(ErrorKind::closed, s.server, "connection lost: " + why));
  });
  if (!stopped_)
    observability::log::warn("redis: connection to {} lost: {}", to_string(s.server), why);
}

// The Sentinels announced a failover: a connection to another server is ended, so that the
// next one asks them again; without a connection, the next attempt starts now.
void Connection::Impl::on_switch(const Address& master) {
  if (session_ && session_->open) {
    if (session_->server != master) end_session("the sentinels switched to " + to_string(master));
    return;
  }
  backoff_.reset();
  retry_timer_.cancel();
}

void Connection::Impl::stop() {
  stopped_ = true;
  if (watcher_) watcher_->stop();
  end_session("the client was closed");
  retry_timer_.cancel();
  expiry_timer_.cancel();
}

// --- the public face --------------------------------------------------------------------------

Connection::Connection(asio::any_io_executor executor, Settings settings)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(settings))) {}

Connection::~Connection() {
  impl_->stop();
}

void Connection::start() {
  impl_->start();
}

asio::awaitable<Connection::Result> Connection::command(std::span<const std::string_view> args) {
  // No coroutine of ours around the wait: the caller's co_await runs this initiation, which
  // queues the command and its caller's handler.
  return asio::async_initiate<const asio::use_awaitable_t<>, void(Result)>(
      [impl = impl_.get(), args](auto handler) { impl->submit(args, Handler(std::move(handler))); },
      asio::use_awaitable);
}

std::optional<Address> Connection::server() const {
  return impl_->server();
}

const Connection::Stats& Connection::stats() const {
  return impl_->stats;
}

}  // namespace gatehouse::redis
