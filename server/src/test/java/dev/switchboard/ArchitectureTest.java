package dev.switchboard;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/ARCHITECTURE.md, on the compiled classes: dependencies point inward,
 * only the composition root ({@code server}) knows every implementation, no package cycles. When a
 * rule here changes, the diagram in docs/ARCHITECTURE.md changes with it.
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String JAVA = "java..";
    private static final String JAVAX = "javax..";
    private static final String JACKSON = "com.fasterxml.jackson..";
    private static final String NETTY = "io.netty..";
    private static final String LOGGING = "org.slf4j..";

    private static ArchRule onlyDependsOn(String layer, String... allowed) {
        String[] packages = new String[allowed.length + 3];
        packages[0] = "dev.switchboard." + layer + "..";
        packages[1] = JAVA;
        packages[2] = JAVAX;
        System.arraycopy(allowed, 0, packages, 3, allowed.length);
        return classes().that().resideInAPackage("dev.switchboard." + layer + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(packages)
                .because("docs/ARCHITECTURE.md: " + layer + " depends only on " + String.join(", ", allowed));
    }

    private static String sb(String layer) {
        return "dev.switchboard." + layer;
    }

    @ArchTest
    static final ArchRule core = onlyDependsOn("core", JACKSON);

    @ArchTest
    static final ArchRule limits = onlyDependsOn("limits", sb("core"));

    @ArchTest
    static final ArchRule history = onlyDependsOn("history", sb("core"), LOGGING, "com.sun.management..");

    @ArchTest
    static final ArchRule auth = onlyDependsOn("auth", sb("core"), "com.nimbusds..", LOGGING);

    @ArchTest
    static final ArchRule hub = onlyDependsOn("hub", sb("core"), LOGGING);

    @ArchTest
    static final ArchRule metrics = onlyDependsOn("metrics", sb("core"), "io.micrometer..");

    /** The broker's role interfaces: no store, no network, no connection. */
    @ArchTest
    static final ArchRule brokerInterfaces = classes().that().resideInAPackage(sb("broker"))
            .should().onlyDependOnClassesThat().resideInAnyPackage(sb("broker"), sb("core"), JAVA);

    @ArchTest
    static final ArchRule memoryBroker = onlyDependsOn("broker.memory", sb("broker"), sb("history"), sb("core"));

    @ArchTest
    static final ArchRule redisBroker = onlyDependsOn("broker.redis", sb("broker"), sb("history"), sb("core"),
            "io.lettuce..", NETTY, LOGGING);

    @ArchTest
    static final ArchRule node = onlyDependsOn("node", sb("hub"), sb("broker"), sb("metrics"), sb("core"), LOGGING);

    @ArchTest
    static final ArchRule http = onlyDependsOn("transport.http", NETTY, JACKSON, LOGGING);

    /** The pipeline, session and handshake: no protocol's wire format (those plug in through WireProtocol). */
    @ArchTest
    static final ArchRule transport = classes().that().resideInAPackage(sb("transport"))
            .should().onlyDependOnClassesThat().resideInAnyPackage(sb("transport"), sb("transport.http"),
                    sb("node"), sb("hub"), sb("auth"), sb("limits"), sb("metrics"), sb("core"), JAVA, JAVAX, NETTY,
                    JACKSON, LOGGING, "com.sun.management..");

    @ArchTest
    static final ArchRule plain = onlyDependsOn("transport.plain", sb("transport"), sb("hub"), sb("core"), NETTY,
            JACKSON);

    @ArchTest
    static final ArchRule v1 = onlyDependsOn("transport.v1", sb("transport"), sb("transport.http"), sb("node"),
            sb("hub"), sb("core"), NETTY, JACKSON, LOGGING);

    @ArchTest
    static final ArchRule api = onlyDependsOn("api", sb("transport.http"), sb("node"), sb("core"), NETTY, JACKSON);

    @ArchTest
    static final ArchRule extension = onlyDependsOn("extension", sb("api"), sb("auth"), sb("metrics"), sb("node"),
            sb("core"));

    /** Only the composition root may name an implementation of another package's interface. */
    @ArchTest
    static final ArchRule onlyTheServerComposes = classes().that().resideOutsideOfPackage(sb("server"))
            .should().onlyDependOnClassesThat().resideOutsideOfPackage(sb("server"))
            .because("server is the composition root: nothing depends on it");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.switchboard.(**)").should().beFreeOfCycles();
}
