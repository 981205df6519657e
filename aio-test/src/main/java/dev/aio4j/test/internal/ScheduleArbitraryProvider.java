package dev.aio4j.test.internal;

import dev.aio4j.loop.Schedule;
import dev.aio4j.test.Schedules;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.providers.ArbitraryProvider;
import net.jqwik.api.providers.TypeUsage;

import java.util.Set;

/** Lets jqwik generate {@code @ForAll Schedule} parameters without {@code @Provide}. */
public final class ScheduleArbitraryProvider implements ArbitraryProvider {
    @Override
    public boolean canProvideFor(TypeUsage targetType) {
        return targetType.isOfType(Schedule.class);
    }

    @Override
    public Set<Arbitrary<?>> provideFor(TypeUsage targetType, SubtypeProvider subtypeProvider) {
        return Set.of(Schedules.arbitrary());
    }
}
