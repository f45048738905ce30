#pragma once
// Who should receive which of herald-load's events. Plain C++, no Qt.

#include <cstdint>
#include <random>
#include <vector>

/// Which events each stream should get. Every stream listens to one destination: all of them
/// share one (broadcast), stream i takes topic i mod T (topics), or each has its own client id
/// (targets). Each event goes to one destination drawn at random from \a seed, so every server
/// measured with the same flags is sent the same sequence.
class DeliveryPlan
{
public:
    enum class Mode { Broadcast, Topics, Targets };

    DeliveryPlan(Mode mode, int events, int streams, int topics, uint64_t seed)
        : m_mode(mode)
        , m_topics(uint32_t(topics))
    {
        m_destinations = mode == Mode::Topics ? uint32_t(topics) : mode == Mode::Targets ? uint32_t(streams) : 1;
        m_destinationOf.resize(size_t(events));
        m_slotOf.resize(size_t(events));
        m_eventsFor.assign(m_destinations, 0);
        std::mt19937_64 random(seed);
        for (size_t seq = 0; seq < size_t(events); ++seq) {
            const uint32_t destination = m_destinations > 1 ? uint32_t(random() % m_destinations) : 0;
            m_destinationOf[seq] = destination;
            m_slotOf[seq] = m_eventsFor[destination]++;
        }
    }

    Mode mode() const { return m_mode; }
    /// How many destinations there are: 1, the topics, or the streams.
    uint32_t destinations() const { return m_destinations; }
    /// The destination stream \a stream listens to: its topic number, or its client number.
    uint32_t destinationOfStream(uint64_t stream) const
    {
        return m_mode == Mode::Topics ? uint32_t(stream % m_topics) : m_mode == Mode::Targets ? uint32_t(stream) : 0;
    }
    uint32_t destinationOf(int seq) const { return m_destinationOf[size_t(seq)]; }
    /// Where event \a seq stands among its destination's events: 0 for the first one.
    uint32_t slotOf(int seq) const { return m_slotOf[size_t(seq)]; }
    uint32_t eventsFor(uint32_t destination) const { return m_eventsFor[destination]; }

private:
    Mode m_mode;
    uint32_t m_topics;
    uint32_t m_destinations = 1;
    std::vector<uint32_t> m_destinationOf; // by event
    std::vector<uint32_t> m_slotOf; // by event
    std::vector<uint32_t> m_eventsFor; // by destination
};
