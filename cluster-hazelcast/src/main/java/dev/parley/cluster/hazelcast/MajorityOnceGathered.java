package dev.parley.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.splitbrainprotection.impl.RecentlyActiveSplitBrainProtectionFunction;
import java.util.Collection;

/**
 * Split-brain protection that holds only once this member has been part of a majority: a node starting a
 * fresh cluster works alone until the others join (as a first node must), but a member later cut off from the
 * majority — a partition, or a process frozen long enough to be declared dead — stops using the shared
 * structures until it has heard from enough members again (Hazelcast's recently-active check).
 */
final class MajorityOnceGathered extends RecentlyActiveSplitBrainProtectionFunction {
    private final int minimum;
    private volatile boolean gathered;

    MajorityOnceGathered(int minimum, int heartbeatToleranceMillis) {
        super(minimum, heartbeatToleranceMillis);
        this.minimum = minimum;
    }

    @Override
    public boolean apply(Collection<Member> members) {
        if (!gathered) {
            if (members.size() < minimum) {
                return true;
            }
            gathered = true;
        }
        return super.apply(members);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
