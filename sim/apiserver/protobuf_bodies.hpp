#pragma once
// The protobuf bodies kvsim reads: what `kubectl drain` sends, a policy/v1
// Eviction posted to pods/{name}/eviction, or (where eviction is not
// advertised) a DeleteOptions with the DELETE of the pod. client-go's typed
// clients send protobuf and have no JSON fallback. Kubernetes' protobuf
// envelope is "k8s\0" and a runtime.Unknown {typeMeta {apiVersion, kind}, raw};
// raw is the Eviction {metadata (ObjectMeta: name 1, namespace 3),
// deleteOptions} or the DeleteOptions {gracePeriodSeconds 1, preconditions 2
// {uid 1, resourceVersion 2}, orphanDependents 3, propagationPolicy 4, dryRun
// 5}: field numbers from kubernetes/api policy/v1 and apimachinery meta/v1
// generated.proto. `kubectl create secret generic|configmap` sends a core/v1
// Secret or ConfigMap, read here into its JSON form (the create fields of its
// metadata, its data).
#include <optional>
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::apiserver {

// The Eviction, DeleteOptions, Secret or ConfigMap as its JSON form, or nullopt with `error`
// saying what is wrong (not the envelope, another kind, a truncated or
// malformed message).
std::optional<models::Json> decode_protobuf_body(const std::string& body, std::string& error);

}  // namespace kvsim::sim::apiserver
