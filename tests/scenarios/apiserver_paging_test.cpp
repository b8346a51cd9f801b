// Lists read page by page, as kubectl reads them (`limit=500`, then the
// `continue` token of each page): together the pages are exactly the unpaged
// list, in order, with and without selectors, as JSON lists and as Tables.
#include "api_requests.hpp"
#include "small_cluster.hpp"

using namespace kvsim;
using models::Json;
using testing::Api;
using testing::body_of;

namespace {

constexpr const char* kTable = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

std::string pod_json(const std::string& name, const std::string& app) {
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","labels":{"app":")" + app +
         R"("}},"spec":{"containers":[{"name":"c","image":"registry.example/app:1"}]}})";
}

// "namespace/name" of each item (or Table row) of a list answer.
std::vector<std::string> names_in(const Json& list) {
  std::vector<std::string> out;
  const bool table = list["kind"] == "Table";
  for (const auto& item : list[table ? "rows" : "items"]) {
    const Json& m = table ? item["object"]["metadata"] : item["metadata"];
    out.push_back(m["namespace"].get<std::string>() + "/" + m["name"].get<std::string>());
  }
  return out;
}

// Follows continue tokens from the first page to the last; checks each page's size and remainingItemCount.
std::vector<std::string> read_in_pages(Api& api, const std::string& path, std::map<std::string, std::string> query,
                                       std::size_t limit, const std::string& accept = "application/json") {
  std::vector<std::string> all;
  query["limit"] = std::to_string(limit);
  for (int page = 0; page < 100; ++page) {
    auto r = api.send("GET", path, {}, "", query, accept);
    REQUIRE(r.status == 200);
    const Json list = body_of(r);
    const auto names = names_in(list);
    CHECK(names.size() <= limit);
    all.insert(all.end(), names.begin(), names.end());
    if (!list["metadata"].contains("continue")) return all;
    CHECK(names.size() == limit);
    CHECK(list["metadata"]["remainingItemCount"].get<std::size_t>() > 0);
    query["continue"] = list["metadata"]["continue"].get<std::string>();
  }
  FAIL("the continue tokens never ended");
  return all;
}

}  // namespace

// One cluster per process (SimGrid has one engine), so blocks, not SECTIONs.
TEST_CASE("a list read in pages of `limit` with `continue` is the unpaged list, in order, with or without selectors") {
  sim::cluster::Cluster cluster(testing::small_cluster_options());
  cluster.run_until(0);
  Api api{cluster};
  REQUIRE(api.send("POST", "/api/v1/namespaces", R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-b"}})")
              .status == 201);
  for (int i = 0; i < 7; ++i)
    REQUIRE(api.send("POST", "/api/v1/namespaces/default/pods", pod_json("p" + std::to_string(i), i % 2 ? "b" : "a"))
                .status == 201);
  for (int i = 0; i < 3; ++i)
    REQUIRE(api.send("POST", "/api/v1/namespaces/team-b/pods", pod_json("q" + std::to_string(i), "a")).status == 201);

  const auto unpaged = names_in(body_of(api.send("GET", "/api/v1/pods")));
  REQUIRE(unpaged.size() >= 10);
  CHECK(std::is_sorted(unpaged.begin(), unpaged.end()));

  {  // all namespaces, every page size
    for (std::size_t limit : {1u, 3u, 10u, 500u}) {
      INFO("limit " << limit);
      CHECK(read_in_pages(api, "/api/v1/pods", {}, limit) == unpaged);
      CHECK(read_in_pages(api, "/api/v1/pods", {}, limit, kTable) == unpaged);
    }
    // The first page says how many are left.
    auto first = body_of(api.send("GET", "/api/v1/pods", {}, "", {{"limit", "3"}}));
    CHECK(first["metadata"]["remainingItemCount"] == unpaged.size() - 3);
  }
  {  // one namespace with a label selector: only its matches, paged
    const std::vector<std::string> expected = {"default/p0", "default/p2", "default/p4", "default/p6"};
    CHECK(read_in_pages(api, "/api/v1/namespaces/default/pods", {{"labelSelector", "app=a"}}, 3) == expected);
    CHECK(read_in_pages(api, "/api/v1/namespaces/default/pods", {{"labelSelector", "app in (a)"}}, 1) == expected);
    CHECK(read_in_pages(api, "/api/v1/namespaces/team-b/pods", {}, 2) ==
          std::vector<std::string>{"team-b/q0", "team-b/q1", "team-b/q2"});
    CHECK(read_in_pages(api, "/api/v1/pods", {{"fieldSelector", "metadata.namespace=team-b"}}, 2) ==
          std::vector<std::string>{"team-b/q0", "team-b/q1", "team-b/q2"});
  }
  {  // a continue token that is not kvsim's is 400
    auto r = api.send("GET", "/api/v1/pods", {}, "", {{"limit", "2"}, {"continue", "zz"}});
    CHECK(r.status == 400);
    CHECK(body_of(r)["message"] == "continue key is not valid: zz");
  }
  {  // the cursor survives writes between two pages, and nothing is read twice. kvsim keeps no
     // snapshot: etcd does, and there the later pages would still show p2 and not p7.
    auto first = body_of(api.send("GET", "/api/v1/namespaces/default/pods", {}, "", {{"limit", "2"}}));
    CHECK(names_in(first) == std::vector<std::string>{"default/p0", "default/p1"});
    REQUIRE(api.send("DELETE", "/api/v1/namespaces/default/pods/p2", R"({"gracePeriodSeconds":0})").status == 200);
    REQUIRE(api.send("POST", "/api/v1/namespaces/default/pods", pod_json("p7", "a")).status == 201);
    cluster.run_until(cluster.now() + 1);
    auto rest = read_in_pages(api, "/api/v1/namespaces/default/pods",
                              {{"continue", first["metadata"]["continue"].get<std::string>()}}, 500);
    CHECK(rest == std::vector<std::string>{"default/p3", "default/p4", "default/p5", "default/p6", "default/p7"});
  }
  cluster.shutdown();
}
