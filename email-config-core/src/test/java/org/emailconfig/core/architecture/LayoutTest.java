package org.emailconfig.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout a newcomer relies on: the engine's leaf packages (the SMTP engine, secrets at rest and the store
 * guard, texts) know the api and each other as drawn below, never the service or the entry point, so a change
 * to the save flow never reaches into them and each can be read alone.
 *
 * <pre>
 *   org.emailconfig.core            EmailConfig, stores    ──┐
 *   org.emailconfig.core.internal   the service            ──┤──&gt; smtp ──&gt; text
 *                                                             └──&gt; store
 * </pre>
 */
class LayoutTest {

    static final String CORE = "org.emailconfig.core";
    static final String SERVICE = "org.emailconfig.core.internal";
    static JavaClasses engine;

    @BeforeAll
    static void importTheEngine() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CORE);
    }

    private static void check(ArchRule rule) {
        rule.check(engine);
    }

    @Test
    void noLeafReachesBackIntoTheServiceOrTheEntryPoint() {
        check(noClasses().that().resideInAnyPackage(SERVICE + ".smtp..", SERVICE + ".store..", SERVICE + ".text..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICE, CORE)
                .because("a leaf is read and changed alone; the service and the entry point depend on it, not back"));
    }

    @Test
    void theSmtpEngineAndTheStoreGuardDoNotKnowEachOther() {
        check(noClasses().that().resideInAPackage(SERVICE + ".smtp..")
                .should().dependOnClassesThat().resideInAPackage(SERVICE + ".store..")
                .because("sending and keeping secrets at rest are separate jobs"));
        check(noClasses().that().resideInAPackage(SERVICE + ".store..")
                .should().dependOnClassesThat().resideInAPackage(SERVICE + ".smtp..")
                .because("sending and keeping secrets at rest are separate jobs"));
    }

    @Test
    void textsDependOnNothingOfTheEngine() {
        check(noClasses().that().resideInAPackage(SERVICE + ".text..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICE + ".smtp..", SERVICE + ".store..")
                .because("every part of the engine may use the texts"));
    }
}
