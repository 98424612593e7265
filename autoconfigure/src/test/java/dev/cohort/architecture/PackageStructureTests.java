package dev.cohort.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of issue 12, checked on the main code: no package cycles, and the API
 * packages free of the engine, so that what applications use never drags in what may
 * change.
 */
class PackageStructureTests {

	/** The packages applications use: interfaces, their records and exceptions, SPIs. */
	private static final String[] API_PACKAGES = { "dev.cohort.cluster", "dev.cohort.cluster.message",
			"dev.cohort.cache", "dev.cohort.tasks", "dev.cohort.rpc", "dev.cohort.pubsub", "dev.cohort.connections",
			"dev.cohort.chat", "dev.cohort.operations" };

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.cohort");
	}

	@Test
	void noPackageDependsOnItselfThroughAnother() {
		slices().matching("dev.cohort.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void apiPackagesDoNotDependOnTheEngine() {
		noClasses().that()
			.resideInAnyPackage(API_PACKAGES)
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..internal..")
			.check(classes);
	}

	@Test
	void apiPackagesDoNotDependOnTheAutoConfiguration() {
		noClasses().that()
			.resideInAnyPackage(API_PACKAGES)
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cohort.autoconfigure..")
			.check(classes);
	}

	@Test
	void chatIsTheRoomsApiAndNeedsNoConnections() {
		noClasses().that()
			.resideInAPackage("dev.cohort.chat..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cohort.connections..")
			.check(classes);
	}

}
