// The hash chain in two halves. An event's canonical line (what ChainHash
// hashes after the previous hash) is a head the ledger completes (seq, id,
// kind, date, recording time) and a tail that is the event as given (party
// names resolved to ids). An import computes the tail on the thread that
// parses its input, so the writer only serializes the head.
#ifndef DEALTRAIL_SRC_CORE_CHAIN_HASH_H_
#define DEALTRAIL_SRC_CORE_CHAIN_HASH_H_

#include <string>
#include <string_view>

#include "dealtrail/event.h"

namespace dealtrail {

// The canonical line's fields after the recording time, each after a comma,
// and its closing brace.
std::string SerializedTail(const Event& e);

// ChainHash(prev_hash, e), given SerializedTail of an event whose tail fields
// are e's.
std::string ChainHashWithTail(std::string_view prev_hash, const Event& e, std::string_view tail);

}  // namespace dealtrail

#endif  // DEALTRAIL_SRC_CORE_CHAIN_HASH_H_
