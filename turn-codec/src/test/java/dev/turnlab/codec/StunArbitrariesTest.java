package dev.turnlab.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.turnlab.codec.attribute.StunAttribute;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shared generators really generate what they promise, so properties built on them cover the codec. */
class StunArbitrariesTest {

    @Test
    void attributeGeneratesEveryAttributeRecordInTheCodec() throws Exception {
        Set<String> generated = StunArbitraries.attribute().sampleStream().limit(4_000)
                .map(a -> a.getClass().getSimpleName()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(generated)
                .as("StunArbitraries.attribute() must generate every StunAttribute in dev.turnlab.codec.attribute;"
                        + " add a generator for each missing one")
                .containsAll(attributeClasses());
    }

    @Test
    void messageGeneratesClassicIdsUnknownMethodsAndEveryRequest() {
        var samples = StunArbitraries.message().sampleStream().limit(2_000).toList();
        assertThat(samples).anyMatch(StunMessage::isClassic).anyMatch(m -> !m.isClassic());
        assertThat(samples).anyMatch(m -> m.method().name().startsWith("Method(0x"));
        assertThat(samples).anyMatch(m -> m.attributes().isEmpty())
                .anyMatch(m -> m.attributes().size() >= StunArbitraries.MAX_ATTRIBUTES - 2);
        assertThat(samples).anyMatch(m -> m.integrityAlgorithm().isPresent()).anyMatch(StunMessage::hasFingerprint)
                .anyMatch(m -> !m.hasIntegrity() && !m.hasFingerprint());
        assertThat(samples).extracting(StunMessage::stunClass).contains(StunClass.values());
    }

    @Test
    void textNeverHoldsALoneSurrogate() {
        assertThat(StunArbitraries.text(48).sampleStream().limit(2_000))
                .allMatch(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))
                .anyMatch(s -> s.codePoints().anyMatch(Character::isSupplementaryCodePoint));
    }

    /** The simple names of the concrete StunAttribute classes compiled into the attribute package. */
    private static Set<String> attributeClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(StunAttribute.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("dev/turnlab/codec/attribute");
        assumeThat(Files.isDirectory(dir)).as("classes in a directory, not a jar").isTrue();
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName("dev.turnlab.codec.attribute." + simple);
                if (StunAttribute.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                    names.add(simple);
                }
            }
        }
        assertThat(names).hasSizeGreaterThan(40);
        return names;
    }
}
