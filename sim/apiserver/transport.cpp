#include "sim/apiserver/transport.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fcntl.h>
#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// Named, not anonymous: Transport::Impl has members of these types, and GCC warns
// (-Wsubobject-linkage) when the file is compiled inside a unity batch.
namespace transport_detail {

// A stream's peer that reads slower than the simulation writes is cut off past this.
constexpr std::size_t kMaxPendingBytes = 16 * 1024 * 1024;
constexpr std::size_t kHeaderLimit = 64 * 1024;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += plus_is_space && s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

// Splits a request target into its decoded path and query parameters.
void split_target(std::string_view target, Request& r) {
  const auto q = target.find('?');
  r.path = percent_decode(target.substr(0, q), false);
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (!pair.empty())
      r.query[percent_decode(pair.substr(0, eq), true)] =
          eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
}

// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

class Session;

class OutboxImpl : public Outbox {
 public:
  OutboxImpl(asio::io_context& ioc, std::weak_ptr<Session> session) : ioc_(ioc), session_(std::move(session)) {}
  void send(std::string bytes) override;
  void close() override;
  bool peer_gone() const override { return gone_; }
  void mark_gone() { gone_ = true; }

 private:
  asio::io_context& ioc_;
  std::weak_ptr<Session> session_;
  std::atomic<bool> gone_{false};
};

}  // namespace transport_detail

using namespace transport_detail;

struct Transport::Impl {
  TransportOptions options;
  asio::io_context ioc{1};
  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  std::thread thread;

  struct Job {
    Request request;
    std::shared_ptr<Session> session;
  };
  struct Input {
    std::shared_ptr<OutboxImpl> outbox;
    std::string bytes;
  };
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Job> jobs;
  std::deque<Input> inputs;
  bool woken = false;

  // The simulation thread's side of every open stream.
  struct OpenStream {
    std::shared_ptr<OutboxImpl> outbox;
    std::unique_ptr<Stream> stream;
  };
  std::vector<OpenStream> streams;
  std::atomic<std::size_t> stream_count{0};

  void accept();
  void push_job(Job job) {
    {
      std::lock_guard lock(mutex);
      jobs.push_back(std::move(job));
    }
    wake.notify_one();
  }
  void push_input(std::shared_ptr<OutboxImpl> outbox, std::string bytes) {
    {
      std::lock_guard lock(mutex);
      inputs.push_back({std::move(outbox), std::move(bytes)});
    }
    wake.notify_one();
  }
};

namespace transport_detail {

// One client connection, on the network thread: TLS handshake, then requests
// one after the other (keep-alive), until one of them turns it into a stream
// (a chunked watch, or a WebSocket) that lasts until either side ends it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Transport::Impl& impl, tcp::socket socket) : impl_(impl), stream_(std::move(socket), impl.tls) {}

  void start() {
    beast::get_lowest_layer(stream_).expires_after(impl_.options.handshake_timeout);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (!ec) self->read_request();
                            });
  }

  // From the simulation thread (posted): the answer to the request it was handed.
  void respond(Response r, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(r.status));
    res->version(11);
    if (!r.content_type.empty()) res->set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (keep_alive) self->read_request();
      else self->shutdown();
    });
  }

  // From the simulation thread (posted): the reply opened a stream fed through `outbox`.
  void begin_stream(Response head, bool websocket_upgrade, std::string subprotocol, std::shared_ptr<OutboxImpl> outbox) {
    outbox_ = std::move(outbox);
    if (websocket_upgrade) return begin_websocket(std::move(subprotocol));
    auto res = std::make_shared<http::response<http::empty_body>>();
    res->result(static_cast<unsigned>(head.status));
    res->version(11);
    res->set(http::field::content_type, head.content_type);
    for (const auto& [k, v] : head.headers) res->set(k, v);
    res->chunked(true);
    res->keep_alive(false);
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    beast::get_lowest_layer(stream_).expires_never();
    http::async_write_header(stream_, *sr, [self = shared_from_this(), res, sr](beast::error_code ec, std::size_t) {
      if (ec) return self->gone();
      self->ready_ = true;
      self->watch_peer();
      self->flush();
    });
  }

  // From the simulation thread (posted): bytes for the peer.
  void queue_out(std::string bytes) {
    if (gone_) return;
    pending_bytes_ += bytes.size();
    if (pending_bytes_ > kMaxPendingBytes) return gone();
    pending_.push_back(std::move(bytes));
    flush();
  }
  void finish_stream() {
    closing_ = true;
    flush();
  }

 private:
  void read_request() {
    parser_.emplace();
    parser_->body_limit(impl_.options.body_limit);
    parser_->header_limit(kHeaderLimit);
    beast::get_lowest_layer(stream_).expires_after(impl_.options.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec) {
    if (ec == http::error::body_limit)
      return refuse(413, fmt::format("the request body is larger than the limit of {} bytes", impl_.options.body_limit));
    if (ec == http::error::header_limit) return refuse(431, "the request headers are too large");
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted || ec == asio::error::connection_reset)
      return shutdown();
    if (ec) return refuse(400, "malformed HTTP request: " + ec.message());
    auto& req = parser_->get();
    const std::string_view auth(req[http::field::authorization].data(), req[http::field::authorization].size());
    if (!auth.starts_with("Bearer ") || !same_secret(auth.substr(7), impl_.options.token))
      return send_now(status_response(401, "Unauthorized", "Unauthorized"), req.keep_alive());
    Request r;
    r.method = std::string(req.method_string());
    split_target(std::string_view(req.target().data(), req.target().size()), r);
    r.content_type = std::string(req[http::field::content_type]);
    r.accept = std::string(req[http::field::accept]);
    r.user_agent = std::string(req[http::field::user_agent]);
    r.websocket = websocket::is_upgrade(req);
    r.websocket_protocols = std::string(req[http::field::sec_websocket_protocol]);
    r.body = std::move(req.body());
    keep_alive_ = req.keep_alive();
    if (r.websocket) upgrade_request_ = parser_->release();
    // While the simulation answers, the connection waits without a deadline of its own.
    beast::get_lowest_layer(stream_).expires_never();
    impl_.push_job({std::move(r), shared_from_this()});
  }

  void refuse(int code, const std::string& message) { send_now(status_response(code, "", message), false); }
  void send_now(Response r, bool keep_alive) { respond(std::move(r), keep_alive); }

  void begin_websocket(std::string subprotocol) {
    ws_.emplace(std::move(stream_));
    ws_->binary(true);
    ws_->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_->set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
      if (!subprotocol.empty()) res.set(http::field::sec_websocket_protocol, subprotocol);
    }));
    ws_->async_accept(*upgrade_request_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->gone();
      self->ready_ = true;
      self->read_frames();
      self->flush();
    });
  }

  void read_frames() {
    ws_->async_read(ws_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->gone();
      self->impl_.push_input(self->outbox_, beast::buffers_to_string(self->ws_buffer_.data()));
      self->ws_buffer_.consume(self->ws_buffer_.size());
      self->read_frames();
    });
  }

  // A chunked watch: the client sends nothing more, so a completed read means it went away.
  void watch_peer() {
    stream_.async_read_some(asio::buffer(probe_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->gone();
      self->watch_peer();
    });
  }

  void flush() {
    if (!ready_ || writing_ || gone_) return;
    if (pending_.empty()) {
      if (closing_) end();
      return;
    }
    writing_ = true;
    auto bytes = std::make_shared<std::string>(std::move(pending_.front()));
    pending_.pop_front();
    pending_bytes_ -= bytes->size();
    auto done = [self = shared_from_this(), bytes](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->gone();
      self->flush();
    };
    if (ws_) ws_->async_write(asio::buffer(*bytes), done);
    else asio::async_write(stream_, http::make_chunk(asio::buffer(*bytes)), done);
  }

  void end() {
    if (ended_) return;
    ended_ = true;
    if (ws_) {
      ws_->async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) { self->gone(); });
      return;
    }
    asio::async_write(stream_, http::make_chunk_last(),
                      [self = shared_from_this()](beast::error_code, std::size_t) { self->shutdown(); });
  }

  void gone() {
    gone_ = true;
    if (outbox_) outbox_->mark_gone();
    pending_.clear();
    beast::error_code ignored;
    if (ws_) beast::get_lowest_layer(*ws_).socket().close(ignored);
    else beast::get_lowest_layer(stream_).socket().close(ignored);
  }

  void shutdown() {
    if (outbox_) outbox_->mark_gone();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  Transport::Impl& impl_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request<http::string_body>> upgrade_request_;
  std::optional<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws_;
  beast::flat_buffer ws_buffer_;
  std::array<char, 256> probe_{};
  std::shared_ptr<OutboxImpl> outbox_;
  std::deque<std::string> pending_;
  std::size_t pending_bytes_ = 0;
  bool keep_alive_ = true;
  bool ready_ = false, writing_ = false, closing_ = false, ended_ = false, gone_ = false;

 public:
  bool keep_alive() const { return keep_alive_; }
};

void OutboxImpl::send(std::string bytes) {
  if (gone_) return;
  asio::post(ioc_, [s = session_, b = std::move(bytes)]() mutable {
    if (auto p = s.lock()) p->queue_out(std::move(b));
  });
}

void OutboxImpl::close() {
  asio::post(ioc_, [s = session_] {
    if (auto p = s.lock()) p->finish_stream();
  });
}

}  // namespace transport_detail

void Transport::Impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC);
      // Without it, the tail of each answer waits for the client's delayed ACK
      // (Nagle): about 40 ms per request, most of `kubectl get` over 20 pages.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(*this, std::move(socket))->start();
    }
    accept();
  });
}

Transport::Transport(TransportOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& o = impl_->options;
  auto& tls = impl_->tls;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  tls.use_certificate_chain(asio::buffer(o.identity.certificate_pem));
  tls.use_private_key(asio::buffer(o.identity.private_key_pem), asio::ssl::context::pem);
  beast::error_code ec;
  const auto address = asio::ip::make_address(o.address, ec);
  if (ec) throw std::runtime_error(fmt::format("--address: \"{}\" is not an IP address", o.address));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  // Not inherited by a kvsim that `lab reset` execs: it binds the same port again.
  if (!ec) ::fcntl(impl_->acceptor.native_handle(), F_SETFD, FD_CLOEXEC);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (ec == asio::error::address_in_use)
    throw std::runtime_error(fmt::format("port {} on {} is already in use (another kvsim serve?); choose another with --port",
                                         o.port, o.address));
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", o.address, o.port, ec.message()));
  impl_->accept();
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

Transport::~Transport() {
  impl_->streams.clear();
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int Transport::port() const { return impl_->acceptor.local_endpoint().port(); }

void Transport::wake() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->woken = true;
  }
  impl_->wake.notify_one();
}

std::size_t Transport::open_streams() const { return impl_->stream_count; }

void Transport::serve_pending(Handler& handler, std::chrono::milliseconds wait) {
  std::deque<Impl::Job> jobs;
  std::deque<Impl::Input> inputs;
  {
    std::unique_lock lock(impl_->mutex);
    if (wait.count() > 0 && impl_->jobs.empty() && impl_->inputs.empty())
      impl_->wake.wait_for(lock, wait, [&] { return impl_->woken || !impl_->jobs.empty() || !impl_->inputs.empty(); });
    impl_->woken = false;
    jobs.swap(impl_->jobs);
    inputs.swap(impl_->inputs);
  }
  for (auto& job : jobs) {
    Reply reply;
    const auto started = std::chrono::steady_clock::now();
    try {
      reply = handler.handle(job.request);
    } catch (const std::exception& e) {
      reply = {status_response(500, "InternalError", std::string("kvsim: ") + e.what())};
    }
    if (impl_->options.log)
      impl_->options.log(job.request, reply.response.status,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    auto session = job.session;
    const bool keep_alive = session->keep_alive();
    if (reply.open_stream && impl_->stream_count >= impl_->options.max_streams) {
      reply = {status_response(429, "TooManyRequests",
                               fmt::format("too many open watches and consoles ({}); close some", impl_->options.max_streams))};
    }
    if (!reply.open_stream) {
      asio::post(impl_->ioc, [session, r = std::move(reply.response), keep_alive]() mutable {
        session->respond(std::move(r), keep_alive);
      });
      continue;
    }
    auto outbox = std::make_shared<OutboxImpl>(impl_->ioc, session);
    auto stream = reply.open_stream(outbox);
    asio::post(impl_->ioc, [session, head = std::move(reply.response), ws = reply.websocket,
                            proto = std::move(reply.subprotocol), outbox]() mutable {
      session->begin_stream(std::move(head), ws, std::move(proto), outbox);
    });
    if (stream) {
      impl_->streams.push_back({outbox, std::move(stream)});
      ++impl_->stream_count;
    } else {
      outbox->close();
    }
  }
  for (auto& in : inputs)
    for (auto& s : impl_->streams)
      if (s.outbox == in.outbox && !s.outbox->peer_gone()) s.stream->input(in.bytes);
  // Poll every stream; drop the ones that ended or whose peer went away.
  auto& streams = impl_->streams;
  for (std::size_t i = 0; i < streams.size();) {
    bool keep = !streams[i].outbox->peer_gone();
    if (keep) {
      try {
        keep = streams[i].stream->poll();
      } catch (const std::exception&) {
        keep = false;
      }
      if (!keep) streams[i].outbox->close();
    }
    if (keep) {
      ++i;
      continue;
    }
    streams.erase(streams.begin() + static_cast<std::ptrdiff_t>(i));
    --impl_->stream_count;
  }
}

}  // namespace kvsim::sim::apiserver
